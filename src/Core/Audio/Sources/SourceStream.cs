namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// The read side of a source: counts the bytes against the size limit, stops reads at the fetch deadline, and turns
/// what the underlying stream throws into <see cref="AudioSourceException"/>s. Read-only and forward-only.
/// </summary>
internal sealed class SourceStream : Stream
{
    private readonly Stream _inner;
    private readonly string _location;
    private readonly long _maxBytes;
    private readonly CallDeadline? _deadline;
    private long _bytesRead;

    /// <summary>Takes ownership of <paramref name="inner"/>; <paramref name="deadline"/> bounds the whole fetch, null for local files.</summary>
    public SourceStream(Stream inner, string location, long maxBytes, CallDeadline? deadline)
    {
        _inner = inner;
        _location = location;
        _maxBytes = maxBytes;
        _deadline = deadline;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = buffer[..Allowance(buffer.Length)];
        try
        {
            if (_deadline is null)
            {
                return Count(await _inner.ReadAsync(wanted, cancellationToken).ConfigureAwait(false));
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
            return Count(await _inner.ReadAsync(wanted, either.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Blocking reads check the deadline before reading but cannot interrupt a read that hangs; use ReadAsync.</summary>
    public override int Read(Span<byte> buffer)
    {
        try
        {
            _deadline?.Token.ThrowIfCancellationRequested();
            return Count(_inner.Read(buffer[..Allowance(buffer.Length)]));
        }
        catch (Exception exception) when (Translate(exception, CancellationToken.None) is { } failure)
        {
            throw failure;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // Asks for at most one byte past the limit: enough to notice going over it without reading much beyond it.
    private int Allowance(int requested) => (int)Math.Min(requested, _maxBytes - _bytesRead + 1);

    private int Count(int read)
    {
        _bytesRead += read;
        return _bytesRead <= _maxBytes
            ? read
            : throw new AudioSourceException(AudioSourceError.TooLarge, _location, $"more than the {_maxBytes} bytes allowed arrived");
    }

    /// <summary>The failure to report instead of <paramref name="exception"/>; null to let it pass as it is.</summary>
    private AudioSourceException? Translate(Exception exception, CancellationToken callerToken)
    {
        if (exception is AudioSourceException || callerToken.IsCancellationRequested)
        {
            return null;
        }

        if (_deadline is { HasExpired: true })
        {
            return new(AudioSourceError.TimedOut, _location, $"the transfer did not finish within {_deadline.Limit}", innerException: exception);
        }

        return exception is IOException or HttpRequestException
            ? new(AudioSourceError.Unavailable, _location, $"the transfer broke off: {exception.Message}", innerException: exception)
            : null;
    }
}
