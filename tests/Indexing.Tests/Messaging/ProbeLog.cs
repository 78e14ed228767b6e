namespace MusicSearch.Indexing.Tests.Messaging;

/// <summary>What the test consumers saw: attempts per message and completions with the test phase they happened in.</summary>
public sealed class ProbeLog
{
    private readonly Dictionary<Guid, int> attempts = [];
    private readonly List<(Guid Id, int Phase)> completions = [];
    private readonly HashSet<Guid> faults = [];
    private TaskCompletionSource changed = NewSignal();

    /// <summary>Set by the test (for example 1 once a broker restarted); stamped on each completion.</summary>
    public int Phase { get; set; }

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <returns>The attempt number, 1 for the first call.</returns>
    public int Attempted(Guid id)
    {
        int attempt;
        lock (attempts)
        {
            attempt = attempts[id] = attempts.GetValueOrDefault(id) + 1;
        }
        Signal();
        return attempt;
    }

    public void Completed(Guid id)
    {
        lock (attempts)
        {
            completions.Add((id, Phase));
        }
        Signal();
    }

    public void Faulted(Guid id)
    {
        lock (attempts)
        {
            faults.Add(id);
        }
        Signal();
    }

    public bool HasFaulted(Guid id)
    {
        lock (attempts)
        {
            return faults.Contains(id);
        }
    }

    public int Attempts(Guid id)
    {
        lock (attempts)
        {
            return attempts.GetValueOrDefault(id);
        }
    }

    public bool IsCompleted(Guid id) => PhasesCompleted(id).Count > 0;

    public IReadOnlyList<int> PhasesCompleted(Guid id)
    {
        lock (attempts)
        {
            return [.. completions.Where(c => c.Id == id).Select(c => c.Phase)];
        }
    }

    /// <summary>Waits, without polling, until a consumer call makes <paramref name="condition"/> true.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        using var cancellation = new CancellationTokenSource(limit);
        while (true)
        {
            // Taken before the check, so a change between the check and the wait still wakes us.
            var signal = Volatile.Read(ref changed);
            if (condition())
            {
                return;
            }
            try
            {
                await signal.Task.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not within {limit.TotalSeconds:0} s: {what}.");
            }
        }
    }

    private void Signal() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
