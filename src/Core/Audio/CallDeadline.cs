namespace MusicSearch.Core.Audio;

/// <summary>
/// One call's time budget on top of the caller's token: shared by the ffprobe and ffmpeg runs of a decode, or bounding
/// one HTTP fetch from request to last byte.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;

    public CallDeadline(TimeSpan limit, CancellationToken callerToken)
    {
        Limit = limit;
        CallerToken = callerToken;
        _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        _source.CancelAfter(limit);
    }

    public TimeSpan Limit { get; }

    public CancellationToken CallerToken { get; }

    /// <summary>Cancelled when the budget runs out or the caller cancels.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the budget ran out, as opposed to the caller cancelling.</summary>
    public bool HasExpired => _source.IsCancellationRequested && !CallerToken.IsCancellationRequested;

    public void Dispose() => _source.Dispose();
}
