using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using MlNetBackprop.Network.Kernels;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MlNetBackprop.KernelTests;

/// <summary>
/// Runs the xunit facts and theories compiled into this program, the way xunit would (one instance of the class per
/// test, data rows from the data attributes, skipped tests skipped), and says which vector path the kernels took. A
/// test host cannot start under user-mode emulation; a plain program can. Arguments are substrings of the test
/// classes to run; none runs them all. Exit code 0 only when every test passed and at least one ran.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Console.WriteLine($"architecture {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"vector path: {Simd.Widest} (Vector128 accelerated: {Vector128.IsHardwareAccelerated}, " +
            $"Vector256 accelerated: {Vector256.IsHardwareAccelerated}, AdvSimd: {AdvSimd.IsSupported}, " +
            $"AVX2: {Avx2.IsSupported}, fused multiply-add: {Simd.HasFusedMultiplyAdd})");

        var tests = typeof(Program).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && (args.Length == 0 || args.Any(a => t.FullName!.Contains(a, StringComparison.Ordinal))))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Select(m => (Type: t, Method: m, Fact: m.GetCustomAttribute<FactAttribute>()))
                .Where(x => x.Fact is not null))
            .OrderBy(x => x.Type.FullName, StringComparer.Ordinal).ThenBy(x => x.Method.Name, StringComparer.Ordinal)
            .ToList();

        int passed = 0, failed = 0, skipped = 0;
        foreach (var (type, method, fact) in tests)
        {
            if (fact!.Skip is not null) { skipped++; continue; }
            foreach (var row in Rows(method))
            {
                string name = $"{type.Name}.{method.Name}({string.Join(", ", row)})";
                var output = new CapturedOutput();
                try
                {
                    Run(type, method, row, output);
                    passed++;
                }
                catch (Exception e)
                {
                    failed++;
                    var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                    Console.WriteLine($"FAILED {name}: {cause.GetType().Name}: {cause.Message}");
                    Console.WriteLine(cause.StackTrace);
                    Console.WriteLine(output.Text);
                }
            }
        }
        Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    /// <summary>The argument rows of a test: one empty row for a fact, every data attribute's rows for a theory.</summary>
    private static IEnumerable<object?[]> Rows(MethodInfo method)
    {
        if (method.GetCustomAttribute<TheoryAttribute>() is null)
            return [[]];
        return method.GetCustomAttributes<DataAttribute>().SelectMany(d => d.GetData(method)).ToList();
    }

    private static void Run(Type type, MethodInfo method, object?[] row, ITestOutputHelper output)
    {
        var constructor = type.GetConstructors().Single();
        object?[] constructorArgs = constructor.GetParameters()
            .Select(p => p.ParameterType == typeof(ITestOutputHelper) ? output
                : throw new InvalidOperationException($"{type.Name} needs a {p.ParameterType.Name}, which this runner cannot give."))
            .ToArray();
        object instance = constructor.Invoke(constructorArgs);
        try
        {
            var parameters = method.GetParameters();
            var args = row.Select((value, i) => Convert(value, parameters[i].ParameterType)).ToArray();
            var result = method.Invoke(instance, args);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    /// <summary>xunit's conversions of inline data: a number to the parameter's numeric type, anything else as it is.</summary>
    private static object? Convert(object? value, Type target)
        => value is null || target.IsInstanceOfType(value) || target.IsEnum ? value
            : System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What a test writes, shown only when it fails.</summary>
    private sealed class CapturedOutput : ITestOutputHelper
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public void WriteLine(string message) => _text.AppendLine(message);

        public void WriteLine(string format, params object[] args) => _text.AppendLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
