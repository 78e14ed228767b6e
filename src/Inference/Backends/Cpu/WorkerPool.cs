using System.Runtime.ExceptionServices;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// Fork-join over a range for the CPU kernels, without allocating: the caller passes a static function and a
/// pointer to its job state on its own stack (alive until <see cref="For"/> returns, which waits for every
/// chunk). <c>Parallel.For</c> would allocate tasks and closures per call, and an op runs thousands of times
/// per track.
/// <para>
/// The caller works too and claims chunks from the same counter as the dedicated threads, so a worker the
/// OS has not scheduled yet (two shared cores) costs nothing: the caller then simply does its chunks.
/// Workers sleep on a monitor between jobs rather than spin, leaving the cores to OpenBLAS's threads.
/// </para>
/// </summary>
internal sealed unsafe class WorkerPool : IDisposable
{
    /// <summary>Chunks per thread: enough to balance uneven progress, few enough to keep claiming cheap.</summary>
    private const int ChunksPerThread = 4;
    private const uint Closed = int.MaxValue;

    [ThreadStatic]
    private static int t_slot;

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly object _finished = new();

    // The current job, written by the caller while the ticket is closed.
    private delegate*<void*, int, int, void> _body;
    private void* _state;
    private int _count;
    private int _chunks;
    private int _completed;
    private Exception? _failure;

    /// <summary>(job number &lt;&lt; 32) | next chunk to claim; a claim is a compare-exchange on the whole value,
    /// so a thread still looking at an older job can never take a chunk of a newer one.</summary>
    private long _ticket;

    private int _job;
    private int _wakeups;
    private bool _stopping;

    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
        _workers = new Thread[threads - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"musicsearch-cpu-{i + 1}" };
            _workers[i].Start(i + 1);
        }
    }

    /// <summary>Threads that run a job, the caller included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Which of the <see cref="Threads"/> threads runs the current chunk: 0 for the caller, 1 … Threads − 1 for
    /// the workers. A job that needs per-thread scratch memory indexes it by slot.
    /// </summary>
    public static int Slot => t_slot;

    /// <summary>
    /// Runs body(state, begin, end) over disjoint ranges covering [0, count), in parallel when the range has
    /// more than <paramref name="grain"/> items (the smallest range worth a thread hand-off).
    /// </summary>
    public void For(int count, int grain, delegate*<void*, int, int, void> body, void* state)
    {
        if (count <= 0)
        {
            return;
        }
        var chunks = (int)Math.Min((long)Threads * ChunksPerThread, ((long)count + grain - 1) / Math.Max(grain, 1));
        if (Threads == 1 || chunks <= 1)
        {
            body(state, 0, count);
            return;
        }

        var job = ++_job;
        Volatile.Write(ref _ticket, ((long)job << 32) | Closed);
        _body = body;
        _state = state;
        _count = count;
        _chunks = chunks;
        _completed = 0;
        _failure = null;
        Volatile.Write(ref _ticket, (long)job << 32);
        lock (_gate)
        {
            _wakeups++;
            Monitor.PulseAll(_gate);
        }

        RunChunks(job);
        // Chunks still running elsewhere finish within about one chunk's time: spin briefly, then sleep on
        // a monitor (not an event object, whose lazily created lock would be a managed allocation).
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _completed) != chunks)
        {
            if (!spinner.NextSpinWillYield)
            {
                spinner.SpinOnce();
                continue;
            }
            lock (_finished)
            {
                while (Volatile.Read(ref _completed) != chunks)
                {
                    Monitor.Wait(_finished);
                }
            }
        }
        Volatile.Write(ref _ticket, ((long)job << 32) | Closed);
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private void RunChunks(int job)
    {
        while (true)
        {
            var ticket = Volatile.Read(ref _ticket);
            if ((int)(ticket >> 32) != job)
            {
                return;
            }
            // Read after the ticket: while the ticket still names this job, these belong to it.
            var body = _body;
            var state = _state;
            var count = _count;
            var chunks = _chunks;
            var chunk = (uint)ticket;
            if (chunk >= (uint)chunks)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue;
            }
            var begin = (int)((long)count * chunk / chunks);
            var end = (int)((long)count * (chunk + 1) / chunks);
            try
            {
                body(state, begin, end);
            }
            catch (Exception ex)
            {
                // Rethrown on the calling thread once every chunk is done; a worker thread must not die.
                Interlocked.CompareExchange(ref _failure, ex, null);
            }
            if (Interlocked.Increment(ref _completed) == chunks)
            {
                lock (_finished)
                {
                    Monitor.PulseAll(_finished);
                }
            }
        }
    }

    private void WorkerLoop(object? slot)
    {
        t_slot = (int)slot!;
        var seen = 0;
        while (true)
        {
            int job;
            lock (_gate)
            {
                while (_wakeups == seen && !_stopping)
                {
                    Monitor.Wait(_gate);
                }
                if (_stopping)
                {
                    return;
                }
                seen = _wakeups;
                job = _job;
            }
            RunChunks(job);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var worker in _workers)
        {
            worker.Join();
        }
    }
}
