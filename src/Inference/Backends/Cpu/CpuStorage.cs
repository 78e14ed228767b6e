using System.Runtime.InteropServices;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>64-byte-aligned native memory: off the GC heap (no copying, no pinning) and aligned for AVX loads and OpenBLAS.</summary>
internal sealed unsafe class CpuStorage : TensorStorage
{
    public const string DeviceName = "cpu";

    public CpuStorage(long length)
        : base(DeviceName, length)
    {
        Pointer = (float*)NativeMemory.AlignedAlloc(checked((nuint)(length * sizeof(float))), 64);
    }

    ~CpuStorage() => Dispose(false);

    public float* Pointer { get; private set; }

    protected override void Free()
    {
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}
