namespace MusicSearch.Inference.Tensors;

/// <summary>
/// A block of device memory holding fp32 elements, owned by the backend that allocated it: one weight, or one
/// block of a <see cref="Backends.Workspace"/> that many activation tensors share. Layers never see it; a
/// <see cref="Tensor"/> is a shaped view of a storage at an element offset.
/// </summary>
internal abstract class TensorStorage : IDisposable
{
    protected TensorStorage(string device, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Device = device;
        Length = length;
    }

    /// <summary>The backend's device name, e.g. <c>cpu</c>.</summary>
    public string Device { get; }

    /// <summary>Capacity in fp32 elements.</summary>
    public long Length { get; }

    /// <summary>
    /// Changes whenever views created earlier stop being valid: when the owning workspace is reset, or when
    /// the storage is freed. Views remember the generation they were created in, so a stale view fails
    /// with a clear error instead of reading memory that now belongs to another tensor.
    /// </summary>
    internal int Generation { get; private set; }

    public bool IsDisposed { get; private set; }

    internal void Invalidate() => Generation++;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (IsDisposed)
        {
            return;
        }
        IsDisposed = true;
        Generation++;
        Free();
    }

    /// <summary>Returns the memory to the device; called once, from <see cref="Dispose(bool)"/>.</summary>
    protected abstract void Free();
}
