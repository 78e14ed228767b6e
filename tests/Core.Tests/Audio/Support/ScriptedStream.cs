namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>A read-only stream whose every read is the given function: endless, failing or stalling inputs.</summary>
internal sealed class ScriptedStream(Func<Memory<byte>, CancellationToken, ValueTask<int>> read) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Serves <paramref name="bytes"/>, then throws <paramref name="failure"/> instead of ending.</summary>
    public static ScriptedStream FailingAfter(byte[] bytes, Exception failure)
    {
        var served = 0;
        return new ScriptedStream((buffer, _) =>
        {
            var count = Math.Min(buffer.Length, bytes.Length - served);
            if (count == 0)
            {
                throw failure;
            }

            bytes.AsMemory(served, count).CopyTo(buffer);
            served += count;
            return ValueTask.FromResult(count);
        });
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The decoder reads asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
