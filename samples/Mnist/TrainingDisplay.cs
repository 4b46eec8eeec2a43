using System.Globalization;
using MlNetBackprop;
using Spectre.Console;

namespace MnistSample;

/// <summary>
/// The live terminal display: a progress bar per epoch showing the running cost, and the epoch's validation accuracy
/// when it ends. The trainer reports on its own thread; Spectre.Console's progress context is safe to update from it.
/// </summary>
public sealed class TrainingDisplay(ProgressContext context, int epochs) : IProgress<TrainingProgress>, IProgress<EpochReport>
{
    private readonly Dictionary<int, ProgressTask> _tasks = [];

    private ProgressTask Task(int epoch, int examples)
    {
        if (!_tasks.TryGetValue(epoch, out var task))
            _tasks[epoch] = task = context.AddTask($"epoch {epoch,2}/{epochs}", maxValue: examples);
        return task;
    }

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        var task = Task(value.Epoch, value.ExamplesPerEpoch);
        task.Value = value.ExamplesDone;
        task.Description = $"epoch {value.Epoch,2}/{value.Epochs}  cost {value.RunningLoss.ToString("F4", CultureInfo.InvariantCulture)}";
    }

    /// <inheritdoc/>
    public void Report(EpochReport value)
    {
        if (!_tasks.TryGetValue(value.Epoch, out var task)) return;
        string validation = value.ValidationAccuracy is double a ? $"  validation {a.ToString("P2", CultureInfo.InvariantCulture)}" : "";
        task.Description = $"epoch {value.Epoch,2}/{epochs}  cost {value.Loss.ToString("F4", CultureInfo.InvariantCulture)}{validation}  {value.Elapsed.TotalSeconds:F1} s";
        task.Value = task.MaxValue;
        task.StopTask();
    }
}
