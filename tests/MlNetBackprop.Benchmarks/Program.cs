// Benchmarks of MlNetBackprop: training epochs, scoring, kernels. Run them all, or a class by name:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- --filter '*EpochBenchmarks*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MlNetBackprop.Benchmarks.EpochBenchmarks).Assembly).Run(args);
