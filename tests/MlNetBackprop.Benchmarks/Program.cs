// Benchmarks of MlNetBackprop: training epochs, scoring, kernels. Run them all, or a class by name:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- --filter '*EpochBenchmarks*'
// the test accuracy of the settings the PyTorch comparison trains:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- accuracy
// sparse text features (FeaturizeText) against SDCA, each Fit in its own process:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- text
// warm epochs of one configuration, for paired comparisons (hidden, batch, threads, solver):
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- time-epochs 100 128 2 Sgd
// one Fit as a user meets it, in a fresh process (batch, epochs, threads):
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- cold-fit 128 3
// what a default Fit on MNIST holds (peak resident memory, what the fitted model keeps), in a fresh process:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- fit-memory 5
// scoring as users serve a model (PredictionEngine in memory and loaded, Transform, pooled engines on 8 threads):
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- serving [parts] [cold]
// how long reading the rows before the first epoch takes:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- read-timing
// one joint multi-output / multi-label model against one model per target on the multi-target tables, and scoring cost:
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- multi-output [table ...] [--seeds n] [--folds n] [--no-scoring] [--results file.jsonl]
// and the streaming demonstration (peak memory when the data exceeds the memory budget):
//   dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- streaming-demo --mode stream --budget 64
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "accuracy-defaults")
    return MlNetBackprop.Benchmarks.AccuracyCheck.Defaults(args.Length > 1 ? args[1] : null);
if (args.Length > 0 && args[0] == "serving")
    return MlNetBackprop.Benchmarks.ServingBenchmark.Run(args.Contains("parts"), args.Contains("cold"));
if (args.Length > 0 && args[0] == "accuracy")
    return MlNetBackprop.Benchmarks.AccuracyCheck.Run();
if (args.Length > 0 && args[0] == "text")
    return MlNetBackprop.Benchmarks.TextBenchmark.RunAll(args);
if (args.Length > 0 && args[0] == "text-fit")
    return MlNetBackprop.Benchmarks.TextBenchmark.RunOne(args);
if (args.Length > 0 && args[0] == "time-epochs")
    return MlNetBackprop.Benchmarks.EpochTimer.Run(args);
if (args.Length > 0 && args[0] == "defaults")
    return MlNetBackprop.Benchmarks.Defaults.DefaultsBenchmark.Run(args);
if (args.Length > 0 && args[0] == "multi-output")
    return MlNetBackprop.Benchmarks.MultiOutputBenchmark.Run(args);
if (args.Length > 0 && args[0] == "cold-fit")
    return MlNetBackprop.Benchmarks.ColdFit.Run(args);
if (args.Length > 0 && args[0] == "fit-memory")
    return MlNetBackprop.Benchmarks.FitMemory.Run(args);
if (args.Length > 0 && args[0] == "read-timing")
    return MlNetBackprop.Benchmarks.ReadTiming.Run();
if (args.Length > 0 && args[0] == "streaming-demo")
    return MlNetBackprop.Benchmarks.StreamingDemo.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(MlNetBackprop.Benchmarks.EpochBenchmarks).Assembly).Run(args);
return 0;
