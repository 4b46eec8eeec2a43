namespace MlNetBackprop.Network.Kernels;

/// <summary>A piece of work split into parts that may run on different threads.</summary>
internal interface IParallelWork
{
    /// <summary>Does part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    void Execute(int part, int parts);
}

/// <summary>
/// Runs work on the calling thread and a few dedicated worker threads, without allocating per call: a training
/// step issues several matrix products per mini-batch, each only tens of microseconds long, which is too short for
/// the thread pool's scheduling. Workers spin briefly between calls (the next product follows within
/// microseconds) and then sleep, so an idle runner costs nothing.
/// </summary>
internal sealed class ParallelRunner : IDisposable
{
    /// <summary>
    /// How many SpinWait rounds a worker spins before it sleeps on the lock. A mini-batch's products follow each other
    /// within microseconds and 4,000 rounds span tens of microseconds, so a worker is awake for the next product of the
    /// same batch but goes to sleep between epochs or when training has ended.
    /// </summary>
    private const int SpinIterations = 4000;

    private readonly Thread[] _workers;
    private readonly object _lock = new();
    private IParallelWork? _work;
    private int _generation;
    private int _pending;
    private volatile bool _disposed;
    private Exception? _failure;

    /// <summary>Creates a runner using <paramref name="threads"/> threads in all, the caller's included.</summary>
    public ParallelRunner(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread is needed.");
        Threads = threads;
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            int part = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"MlNetBackprop worker {part}" };
            _workers[i].Start();
        }
    }

    /// <summary>The number of parts work is split into.</summary>
    public int Threads { get; }

    /// <summary>Runs every part of <paramref name="work"/> and returns when all are done.</summary>
    public void Run(IParallelWork work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Threads == 1)
        {
            work.Execute(0, 1);
            return;
        }
        _work = work;
        _failure = null;
        Volatile.Write(ref _pending, Threads - 1);
        lock (_lock)
        {
            _generation++;
            Monitor.PulseAll(_lock);
        }
        try
        {
            work.Execute(0, Threads);
        }
        finally
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _pending) != 0)
                spinner.SpinOnce(sleep1Threshold: -1);
            _work = null;
        }
        if (_failure is { } failure)
            throw new AggregateException("A worker thread failed.", failure);
    }

    private void WorkerLoop(int part)
    {
        int seen = 0;
        while (true)
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                if (spinner.Count < SpinIterations)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                lock (_lock)
                {
                    while (_generation == seen && !_disposed)
                        Monitor.Wait(_lock);
                }
            }
            if (_disposed) return;
            seen = Volatile.Read(ref _generation);
            try
            {
                _work!.Execute(part, Threads);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_lock) Monitor.PulseAll(_lock);
        foreach (var worker in _workers) worker.Join();
    }
}
