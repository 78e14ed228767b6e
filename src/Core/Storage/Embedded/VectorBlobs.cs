using System.Buffers.Binary;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// The on-disk form of vectors: float32 little-endian; windows as (float64 start, float64 duration, float32 × dimensions)
/// back to back, so their number follows from the blob's length.
/// </summary>
internal static class VectorBlobs
{
    private const int SpanBytes = 2 * sizeof(double);

    public static byte[] Encode(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        Write(vector, bytes);
        return bytes;
    }

    public static byte[] Encode(IReadOnlyList<WindowVector> windows, int dimensions)
    {
        var size = WindowBytes(dimensions);
        var bytes = new byte[windows.Count * size];
        for (var i = 0; i < windows.Count; i++)
        {
            var window = bytes.AsSpan(i * size, size);
            BinaryPrimitives.WriteDoubleLittleEndian(window, windows[i].StartSeconds);
            BinaryPrimitives.WriteDoubleLittleEndian(window[sizeof(double)..], windows[i].DurationSeconds);
            Write(windows[i].Vector, window[SpanBytes..]);
        }
        return bytes;
    }

    public static float[] DecodeVector(ReadOnlySpan<byte> bytes, int dimensions)
    {
        if (bytes.Length != dimensions * sizeof(float))
        {
            throw new TrackStoreException($"a stored vector has {bytes.Length} bytes, expected {dimensions * sizeof(float)}: the collection file is damaged");
        }
        var vector = new float[dimensions];
        Read(bytes, vector);
        return vector;
    }

    public static WindowVector[] DecodeWindows(ReadOnlySpan<byte> bytes, int dimensions)
    {
        var size = WindowBytes(dimensions);
        if (bytes.Length % size != 0)
        {
            throw new TrackStoreException($"stored windows have {bytes.Length} bytes, not a multiple of {size}: the collection file is damaged");
        }
        var windows = new WindowVector[bytes.Length / size];
        for (var i = 0; i < windows.Length; i++)
        {
            var window = bytes.Slice(i * size, size);
            var vector = new float[dimensions];
            Read(window[SpanBytes..], vector);
            windows[i] = new WindowVector(
                BinaryPrimitives.ReadDoubleLittleEndian(window), BinaryPrimitives.ReadDoubleLittleEndian(window[sizeof(double)..]), vector);
        }
        return windows;
    }

    private static int WindowBytes(int dimensions) => SpanBytes + (dimensions * sizeof(float));

    private static void Write(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * sizeof(float))..], values[i]);
        }
    }

    private static void Read(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
    }
}
