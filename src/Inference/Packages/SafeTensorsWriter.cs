using System.Runtime.InteropServices;
using System.Text.Json;

namespace MusicSearch.Inference.Packages;

/// <summary>
/// Builds a safetensors file: tensors are laid out in the order they were added, and the header is padded
/// with spaces so the data section starts 8-byte aligned (keeping zero-copy fp32 spans aligned on load).
/// </summary>
public sealed class SafeTensorsWriter
{
    private readonly List<(string Name, TensorDType DType, long[] Shape, byte[] Data)> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    public SafeTensorsWriter AddMetadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public SafeTensorsWriter Add(string name, ReadOnlySpan<long> shape, ReadOnlySpan<float> values) =>
        Add(name, TensorDType.F32, shape, MemoryMarshal.AsBytes(values));

    /// <summary>Adds a tensor from its raw little-endian bytes; the byte count must match shape × element size.</summary>
    public SafeTensorsWriter Add(string name, TensorDType dtype, ReadOnlySpan<long> shape, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved for the header's metadata.", nameof(name));
        }
        if (!_names.Add(name))
        {
            throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));
        }
        long elements = 1;
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            elements = checked(elements * dim);
        }
        var expected = checked(elements * dtype.ElementSize());
        if (expected != data.Length)
        {
            _names.Remove(name);
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape.ToArray())}] of {dtype.ToHeaderName()} needs {expected} bytes, got {data.Length}.", nameof(data));
        }
        _tensors.Add((name, dtype, shape.ToArray(), data.ToArray()));
        return this;
    }

    public void WriteTo(Stream stream)
    {
        var header = BuildHeader();
        Span<byte> lengthPrefix = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(lengthPrefix, (ulong)header.Length);
        stream.Write(lengthPrefix);
        stream.Write(header);
        foreach (var tensor in _tensors)
        {
            stream.Write(tensor.Data);
        }
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it into place,
    /// so a reader never sees a half-written model.</summary>
    public void Save(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var temporary = fullPath + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private byte[] BuildHeader()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in _metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, data) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype.ToHeaderName());
                json.WriteStartArray("shape");
                foreach (var dim in shape)
                {
                    json.WriteNumberValue(dim);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }
            json.WriteEndObject();
        }
        var padded = (buffer.Length + 7) / 8 * 8;
        while (buffer.Length < padded)
        {
            buffer.WriteByte((byte)' ');
        }
        return buffer.ToArray();
    }
}
