using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Packages;

/// <summary>
/// A safetensors file mapped read-only into memory. F32 tensors are returned as zero-copy spans over the
/// mapping (valid until the file is disposed); other float types are converted once, at load time, by
/// <see cref="ReadAsFloat32"/>.
/// </summary>
public sealed unsafe class SafeTensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataStart;
    private bool _disposed;

    private SafeTensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePointer, long dataStart, SafeTensorsHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = basePointer;
        _dataStart = dataStart;
        Header = header;
    }

    public string Path { get; }

    public SafeTensorsHeader Header { get; }

    public IReadOnlyDictionary<string, TensorInfo> Tensors => Header.Tensors;

    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    public static SafeTensorsFile Open(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ModelPackageException($"{path}: file not found.");
        }
        if (info.Length < 8)
        {
            // Too short to map or to hold a header length: let the header check report it.
            SafeTensorsHeader.ReadHeaderLength(File.ReadAllBytes(path), info.Length, path);
        }

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            pointer += view.PointerOffset;

            var length = info.Length;
            var headerLength = SafeTensorsHeader.ReadHeaderLength(new ReadOnlySpan<byte>(pointer, 8), length, path);
            var dataStart = 8 + headerLength;
            var header = SafeTensorsHeader.Parse(new ReadOnlySpan<byte>(pointer + 8, (int)headerLength), length - dataStart, path);
            return new SafeTensorsFile(path, map, view, pointer, dataStart, header);
        }
        catch
        {
            if (acquired)
            {
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            }
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => Header.Tensors.ContainsKey(name);

    public TensorInfo Get(string name) =>
        Header.Tensors.TryGetValue(name, out var info)
            ? info
            : throw new ModelPackageException($"{Path}: tensor '{name}' is missing.");

    /// <summary>The raw little-endian bytes of a tensor.</summary>
    public ReadOnlySpan<byte> GetBytes(string name) => GetBytes(Get(name));

    public ReadOnlySpan<byte> GetBytes(TensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Tensors over 2 GiB do not exist in the supported architectures; spans cannot address them anyway.
        if (tensor.ByteLength > int.MaxValue)
        {
            throw new ModelPackageException($"{Path}: tensor '{tensor.Name}' has {tensor.ByteLength} bytes, more than one span can address.");
        }
        return new ReadOnlySpan<byte>(_base + _dataStart + tensor.DataOffset, (int)tensor.ByteLength);
    }

    /// <summary>A zero-copy view of a tensor whose dtype is stored as <typeparamref name="T"/>.</summary>
    public ReadOnlySpan<T> GetSpan<T>(string name) where T : unmanaged
    {
        var tensor = Get(name);
        var expected = DTypeOf<T>(tensor.DType);
        if (tensor.DType != expected)
        {
            throw new ModelPackageException(
                $"{Path}: tensor '{name}' is {tensor.DType.ToHeaderName()}, not {expected.ToHeaderName()} as the caller expects.");
        }
        return MemoryMarshal.Cast<byte, T>(GetBytes(tensor));
    }

    /// <summary>A copy of a floating-point tensor widened or narrowed to fp32 (F16 and BF16 convert exactly).</summary>
    public float[] ReadAsFloat32(string name)
    {
        var tensor = Get(name);
        var bytes = GetBytes(tensor);
        var result = new float[tensor.ElementCount];
        TensorConversion.ToFloat32(tensor.DType, bytes, result, () => $"{Path}: tensor '{name}'");
        return result;
    }

    private static TensorDType DTypeOf<T>(TensorDType stored) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return TensorDType.F32;
        if (typeof(T) == typeof(double)) return TensorDType.F64;
        if (typeof(T) == typeof(Half)) return TensorDType.F16;
        if (typeof(T) == typeof(long)) return TensorDType.I64;
        if (typeof(T) == typeof(int)) return TensorDType.I32;
        if (typeof(T) == typeof(short)) return TensorDType.I16;
        if (typeof(T) == typeof(sbyte)) return TensorDType.I8;
        // Bytes view U8 and BOOL as stored; ushort views the raw bits of BF16.
        if (typeof(T) == typeof(byte)) return stored == TensorDType.Bool ? TensorDType.Bool : TensorDType.U8;
        if (typeof(T) == typeof(ushort)) return TensorDType.BF16;
        throw new ArgumentException($"No safetensors dtype is stored as {typeof(T).Name}.");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
