using System.Text.Json;

namespace MusicSearch.Inference.Packages;

/// <summary>
/// The parsed and validated JSON header of a safetensors file.
/// Validation is strict because a silently misread tensor turns into a silently wrong embedding:
/// every byte of the data section must belong to exactly one tensor, and every span must match its shape.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The format's own limit; a larger header is a corrupt length field, not a real model.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(IReadOnlyDictionary<string, TensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tensors by name, in header order.</summary>
    public IReadOnlyDictionary<string, TensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads the 8-byte little-endian header length and checks it against the file size.</summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string source)
    {
        if (fileLength < 8 || prefix.Length < 8)
        {
            throw new ModelPackageException(
                $"{source}: truncated header: the file has {fileLength} bytes but a safetensors file starts with an 8-byte header length.");
        }
        var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0)
        {
            throw new ModelPackageException($"{source}: header length is 0; a safetensors header is a JSON object.");
        }
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw new ModelPackageException(
                $"{source}: header length {headerLength} points past the end of the file ({fileLength} bytes); the file is truncated or not safetensors.");
        }
        if (headerLength > MaxHeaderBytes)
        {
            throw new ModelPackageException($"{source}: header length {headerLength} exceeds the format's limit of {MaxHeaderBytes} bytes.");
        }
        return (long)headerLength;
    }

    /// <summary>Parses the header JSON and validates every entry against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> headerJson, long dataLength, string source)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(headerJson, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new ModelPackageException($"{source}: header is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            EnsureOnlyPaddingAfterJson(headerJson, source);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelPackageException($"{source}: header must be a JSON object, found {root.ValueKind}.");
            }

            var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new ModelPackageException($"{source}: header names '{property.Name}' twice.");
                }
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source);
                    continue;
                }
                tensors.Add(property.Name, ReadTensor(property.Name, property.Value, source));
            }

            CheckCoverage(tensors.Values, dataLength, source);
            return new SafeTensorsHeader(tensors, metadata);
        }
    }

    // The format allows the header to be padded with spaces (writers align the data section to 8 bytes).
    private static void EnsureOnlyPaddingAfterJson(ReadOnlySpan<byte> headerJson, string source)
    {
        var reader = new Utf8JsonReader(headerJson);
        reader.Read();
        reader.Skip();
        var rest = headerJson[(int)reader.BytesConsumed..];
        foreach (var b in rest)
        {
            if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                throw new ModelPackageException($"{source}: header has trailing bytes after its JSON object.");
            }
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelPackageException($"{source}: '{MetadataKey}' must be an object of strings.");
        }
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new ModelPackageException($"{source}: '{MetadataKey}.{entry.Name}' must be a string, found {entry.Value.ValueKind}.");
            }
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static TensorInfo ReadTensor(string name, JsonElement entry, string source)
    {
        string Where(string field) => $"{source}: tensor '{name}': {field}";

        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new ModelPackageException(Where($"entry must be an object, found {entry.ValueKind}."));
        }
        JsonElement dtypeElement = default, shapeElement = default, offsetsElement = default;
        foreach (var field in entry.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype": dtypeElement = field.Value; break;
                case "shape": shapeElement = field.Value; break;
                case "data_offsets": offsetsElement = field.Value; break;
                default: throw new ModelPackageException(Where($"unknown field '{field.Name}'."));
            }
        }

        if (dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new ModelPackageException(Where("'dtype' is missing or not a string."));
        }
        var dtypeName = dtypeElement.GetString()!;
        if (!TensorDTypeExtensions.TryParseHeaderName(dtypeName, out var dtype))
        {
            throw new ModelPackageException(Where($"unknown dtype '{dtypeName}' (understood: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)."));
        }

        var shape = ReadNonNegativeIntegers(shapeElement, "shape", expectedCount: null, Where);
        var offsets = ReadNonNegativeIntegers(offsetsElement, "data_offsets", expectedCount: 2, Where);
        var (begin, end) = (offsets[0], offsets[1]);
        if (end < begin)
        {
            throw new ModelPackageException(Where($"data_offsets [{begin}, {end}] end before they begin."));
        }

        var info = new TensorInfo(name, dtype, shape, begin, end - begin);
        long expectedBytes;
        try
        {
            expectedBytes = checked(info.ElementCount * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new ModelPackageException(Where($"shape {info.ShapeText} is too large."));
        }
        if (expectedBytes != info.ByteLength)
        {
            throw new ModelPackageException(Where(
                $"shape {info.ShapeText} of {dtype.ToHeaderName()} needs {expectedBytes} bytes but data_offsets [{begin}, {end}] span {info.ByteLength}."));
        }
        return info;
    }

    private static long[] ReadNonNegativeIntegers(JsonElement element, string field, int? expectedCount, Func<string, string> where)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ModelPackageException(where($"'{field}' is missing or not an array."));
        }
        var values = new long[element.GetArrayLength()];
        if (expectedCount is { } count && values.Length != count)
        {
            throw new ModelPackageException(where($"'{field}' must have {count} entries, found {values.Length}."));
        }
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new ModelPackageException(where($"'{field}[{i}]' must be a non-negative integer, found {item.GetRawText()}."));
            }
            values[i++] = value;
        }
        return values;
    }

    private static void CheckCoverage(IEnumerable<TensorInfo> tensors, long dataLength, string source)
    {
        long cursor = 0;
        TensorInfo? previous = null;
        foreach (var tensor in tensors.OrderBy(t => t.DataOffset).ThenBy(t => t.ByteLength))
        {
            var end = tensor.DataOffset + tensor.ByteLength;
            if (end > dataLength)
            {
                throw new ModelPackageException(
                    $"{source}: tensor '{tensor.Name}': data_offsets end at {end}, past the end of the data section ({dataLength} bytes); the file is truncated.");
            }
            if (tensor.DataOffset < cursor)
            {
                throw new ModelPackageException($"{source}: tensors '{previous!.Name}' and '{tensor.Name}' overlap at byte {tensor.DataOffset}.");
            }
            if (tensor.DataOffset > cursor)
            {
                var after = previous is null ? "the start of the data section" : $"'{previous.Name}'";
                throw new ModelPackageException(
                    $"{source}: gap of {tensor.DataOffset - cursor} bytes between {after} and '{tensor.Name}'; every data byte must belong to a tensor.");
            }
            cursor = end;
            previous = tensor;
        }
        if (cursor != dataLength)
        {
            throw new ModelPackageException($"{source}: {dataLength - cursor} bytes after the last tensor belong to no tensor.");
        }
    }
}
