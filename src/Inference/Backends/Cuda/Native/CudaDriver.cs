using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cuda.Native;

/// <summary>
/// The subset of the CUDA driver API (<c>libcuda.so.1</c>) the backend uses, as unmanaged function pointers
/// resolved from the handle <see cref="CudaLibraries"/> loaded (so the search plan, not the loader's default, picks
/// the file). Handles are <c>nint</c>, device pointers <c>ulong</c> (CUdeviceptr). Every wrapper checks the
/// CUresult and throws <see cref="CudaException"/> with the driver's own error text.
/// </summary>
internal sealed unsafe class CudaDriver
{
    /// <summary>CU_DEVICE_ATTRIBUTE_* values used (cuda.h).</summary>
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    /// <summary>CU_STREAM_NON_BLOCKING: the stream does not synchronise with the legacy default stream.</summary>
    public const uint StreamNonBlocking = 1;

    /// <summary>CU_STREAM_CAPTURE_MODE_THREAD_LOCAL.</summary>
    public const int CaptureModeThreadLocal = 1;

    private readonly delegate* unmanaged<uint, int> _init;
    private readonly delegate* unmanaged<int*, int> _driverGetVersion;
    private readonly delegate* unmanaged<int*, int> _deviceGetCount;
    private readonly delegate* unmanaged<int*, int, int> _deviceGet;
    private readonly delegate* unmanaged<byte*, int, int, int> _deviceGetName;
    private readonly delegate* unmanaged<int*, int, int, int> _deviceGetAttribute;
    private readonly delegate* unmanaged<nint*, int, int> _primaryCtxRetain;
    private readonly delegate* unmanaged<int, int> _primaryCtxRelease;
    private readonly delegate* unmanaged<nint, int> _ctxSetCurrent;
    private readonly delegate* unmanaged<ulong*, nuint, int> _memAlloc;
    private readonly delegate* unmanaged<ulong, int> _memFree;
    private readonly delegate* unmanaged<void**, nuint, int> _memAllocHost;
    private readonly delegate* unmanaged<void*, int> _memFreeHost;
    private readonly delegate* unmanaged<ulong, void*, nuint, nint, int> _memcpyHtoDAsync;
    private readonly delegate* unmanaged<void*, ulong, nuint, nint, int> _memcpyDtoHAsync;
    private readonly delegate* unmanaged<ulong, ulong, nuint, nint, int> _memcpyDtoDAsync;
    private readonly delegate* unmanaged<nint*, uint, int> _streamCreate;
    private readonly delegate* unmanaged<nint, int> _streamDestroy;
    private readonly delegate* unmanaged<nint, int> _streamSynchronize;
    private readonly delegate* unmanaged<nint*, uint, int> _eventCreate;
    private readonly delegate* unmanaged<nint, nint, int> _eventRecord;
    private readonly delegate* unmanaged<nint, int> _eventSynchronize;
    private readonly delegate* unmanaged<float*, nint, nint, int> _eventElapsedTime;
    private readonly delegate* unmanaged<nint, int> _eventDestroy;
    private readonly delegate* unmanaged<nint*, void*, int> _moduleLoadData;
    private readonly delegate* unmanaged<nint*, nint, byte*, int> _moduleGetFunction;
    private readonly delegate* unmanaged<nint, int> _moduleUnload;
    private readonly delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int> _launchKernel;
    private readonly delegate* unmanaged<nint, int, int> _streamBeginCapture;
    private readonly delegate* unmanaged<nint, nint*, int> _streamEndCapture;
    private readonly delegate* unmanaged<nint*, nint, ulong, int> _graphInstantiate;
    private readonly delegate* unmanaged<nint, nint, int> _graphLaunch;
    private readonly delegate* unmanaged<nint, int> _graphExecDestroy;
    private readonly delegate* unmanaged<nint, int> _graphDestroy;
    private readonly delegate* unmanaged<int, byte**, int> _getErrorName;
    private readonly delegate* unmanaged<int, byte**, int> _getErrorString;

    public CudaDriver(nint library)
    {
        nint Get(params ReadOnlySpan<string> names) => NativeExports.Resolve(library, "libcuda.so.1", names);
        _init = (delegate* unmanaged<uint, int>)Get("cuInit");
        _driverGetVersion = (delegate* unmanaged<int*, int>)Get("cuDriverGetVersion");
        _deviceGetCount = (delegate* unmanaged<int*, int>)Get("cuDeviceGetCount");
        _deviceGet = (delegate* unmanaged<int*, int, int>)Get("cuDeviceGet");
        _deviceGetName = (delegate* unmanaged<byte*, int, int, int>)Get("cuDeviceGetName");
        _deviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)Get("cuDeviceGetAttribute");
        _primaryCtxRetain = (delegate* unmanaged<nint*, int, int>)Get("cuDevicePrimaryCtxRetain");
        _primaryCtxRelease = (delegate* unmanaged<int, int>)Get("cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
        _ctxSetCurrent = (delegate* unmanaged<nint, int>)Get("cuCtxSetCurrent");
        _memAlloc = (delegate* unmanaged<ulong*, nuint, int>)Get("cuMemAlloc_v2");
        _memFree = (delegate* unmanaged<ulong, int>)Get("cuMemFree_v2");
        _memAllocHost = (delegate* unmanaged<void**, nuint, int>)Get("cuMemAllocHost_v2");
        _memFreeHost = (delegate* unmanaged<void*, int>)Get("cuMemFreeHost");
        _memcpyHtoDAsync = (delegate* unmanaged<ulong, void*, nuint, nint, int>)Get("cuMemcpyHtoDAsync_v2");
        _memcpyDtoHAsync = (delegate* unmanaged<void*, ulong, nuint, nint, int>)Get("cuMemcpyDtoHAsync_v2");
        _memcpyDtoDAsync = (delegate* unmanaged<ulong, ulong, nuint, nint, int>)Get("cuMemcpyDtoDAsync_v2");
        _streamCreate = (delegate* unmanaged<nint*, uint, int>)Get("cuStreamCreate");
        _streamDestroy = (delegate* unmanaged<nint, int>)Get("cuStreamDestroy_v2");
        _streamSynchronize = (delegate* unmanaged<nint, int>)Get("cuStreamSynchronize");
        _eventCreate = (delegate* unmanaged<nint*, uint, int>)Get("cuEventCreate");
        _eventRecord = (delegate* unmanaged<nint, nint, int>)Get("cuEventRecord");
        _eventSynchronize = (delegate* unmanaged<nint, int>)Get("cuEventSynchronize");
        _eventElapsedTime = (delegate* unmanaged<float*, nint, nint, int>)Get("cuEventElapsedTime_v2", "cuEventElapsedTime");
        _eventDestroy = (delegate* unmanaged<nint, int>)Get("cuEventDestroy_v2");
        _moduleLoadData = (delegate* unmanaged<nint*, void*, int>)Get("cuModuleLoadData");
        _moduleGetFunction = (delegate* unmanaged<nint*, nint, byte*, int>)Get("cuModuleGetFunction");
        _moduleUnload = (delegate* unmanaged<nint, int>)Get("cuModuleUnload");
        _launchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int>)Get("cuLaunchKernel");
        _streamBeginCapture = (delegate* unmanaged<nint, int, int>)Get("cuStreamBeginCapture_v2");
        _streamEndCapture = (delegate* unmanaged<nint, nint*, int>)Get("cuStreamEndCapture");
        _graphInstantiate = (delegate* unmanaged<nint*, nint, ulong, int>)Get("cuGraphInstantiateWithFlags");
        _graphLaunch = (delegate* unmanaged<nint, nint, int>)Get("cuGraphLaunch");
        _graphExecDestroy = (delegate* unmanaged<nint, int>)Get("cuGraphExecDestroy");
        _graphDestroy = (delegate* unmanaged<nint, int>)Get("cuGraphDestroy");
        _getErrorName = (delegate* unmanaged<int, byte**, int>)Get("cuGetErrorName");
        _getErrorString = (delegate* unmanaged<int, byte**, int>)Get("cuGetErrorString");
    }

    public void Init() => Check(_init(0), "cuInit");

    /// <summary>The driver's CUDA version as 1000·major + 10·minor (13000 = 13.0).</summary>
    public int DriverVersion()
    {
        int version;
        Check(_driverGetVersion(&version), "cuDriverGetVersion");
        return version;
    }

    public int DeviceCount()
    {
        int count;
        Check(_deviceGetCount(&count), "cuDeviceGetCount");
        return count;
    }

    public int Device(int ordinal)
    {
        int device;
        Check(_deviceGet(&device, ordinal), "cuDeviceGet");
        return device;
    }

    public string DeviceName(int device)
    {
        var name = stackalloc byte[256];
        Check(_deviceGetName(name, 256, device), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((nint)name) ?? "";
    }

    public int DeviceAttribute(int device, int attribute)
    {
        int value;
        Check(_deviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    /// <summary>Retains the device's primary context (the one PyTorch and the runtime API share) and makes it current.</summary>
    public nint RetainPrimaryContext(int device)
    {
        nint context;
        Check(_primaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        Check(_ctxSetCurrent(context), "cuCtxSetCurrent");
        return context;
    }

    public void SetCurrent(nint context) => Check(_ctxSetCurrent(context), "cuCtxSetCurrent");

    public void ReleasePrimaryContext(int device) => Check(_primaryCtxRelease(device), "cuDevicePrimaryCtxRelease");

    public ulong Allocate(long bytes)
    {
        ulong pointer;
        Check(_memAlloc(&pointer, (nuint)bytes), "cuMemAlloc_v2");
        return pointer;
    }

    public void Free(ulong pointer) => Check(_memFree(pointer), "cuMemFree_v2");

    /// <summary>Page-locked host memory: the only kind an asynchronous copy overlaps with host work.</summary>
    public void* AllocateHost(long bytes)
    {
        void* pointer;
        Check(_memAllocHost(&pointer, (nuint)bytes), "cuMemAllocHost_v2");
        return pointer;
    }

    public void FreeHost(void* pointer) => Check(_memFreeHost(pointer), "cuMemFreeHost");

    public void CopyToDeviceAsync(ulong destination, void* source, long bytes, nint stream) =>
        Check(_memcpyHtoDAsync(destination, source, (nuint)bytes, stream), "cuMemcpyHtoDAsync_v2");

    public void CopyToHostAsync(void* destination, ulong source, long bytes, nint stream) =>
        Check(_memcpyDtoHAsync(destination, source, (nuint)bytes, stream), "cuMemcpyDtoHAsync_v2");

    public void CopyOnDeviceAsync(ulong destination, ulong source, long bytes, nint stream) =>
        Check(_memcpyDtoDAsync(destination, source, (nuint)bytes, stream), "cuMemcpyDtoDAsync_v2");

    public nint CreateStream()
    {
        nint stream;
        Check(_streamCreate(&stream, StreamNonBlocking), "cuStreamCreate");
        return stream;
    }

    public void DestroyStream(nint stream) => Check(_streamDestroy(stream), "cuStreamDestroy_v2");

    public void Synchronize(nint stream) => Check(_streamSynchronize(stream), "cuStreamSynchronize");

    public nint CreateEvent()
    {
        nint handle;
        Check(_eventCreate(&handle, 0), "cuEventCreate");
        return handle;
    }

    public void Record(nint handle, nint stream) => Check(_eventRecord(handle, stream), "cuEventRecord");

    public void SynchronizeEvent(nint handle) => Check(_eventSynchronize(handle), "cuEventSynchronize");

    public float ElapsedMilliseconds(nint start, nint end)
    {
        float milliseconds;
        Check(_eventElapsedTime(&milliseconds, start, end), "cuEventElapsedTime");
        return milliseconds;
    }

    public void DestroyEvent(nint handle) => Check(_eventDestroy(handle), "cuEventDestroy_v2");

    /// <summary>Loads a cubin (or NUL-terminated PTX) image into the current context.</summary>
    public nint LoadModule(ReadOnlySpan<byte> image)
    {
        nint module;
        fixed (byte* data = image)
        {
            Check(_moduleLoadData(&module, data), "cuModuleLoadData");
        }
        return module;
    }

    public nint Function(nint module, string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        nint function;
        fixed (byte* utf8 = bytes)
        {
            var code = _moduleGetFunction(&function, module, utf8);
            if (code != 0)
            {
                throw Error($"cuModuleGetFunction({name})", code);
            }
        }
        return function;
    }

    public void UnloadModule(nint module) => Check(_moduleUnload(module), "cuModuleUnload");

    /// <summary>Queues a kernel; <paramref name="arguments"/> points at one pointer per kernel parameter, each to the value.</summary>
    public void Launch(nint function, (uint X, uint Y, uint Z) grid, (uint X, uint Y, uint Z) block, uint sharedBytes, nint stream, void** arguments) =>
        Check(_launchKernel(function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, sharedBytes, stream, arguments, null), "cuLaunchKernel");

    public void BeginCapture(nint stream) => Check(_streamBeginCapture(stream, CaptureModeThreadLocal), "cuStreamBeginCapture_v2");

    /// <summary>Ends a capture and instantiates the graph: one launch then replays every captured op.</summary>
    public nint EndCaptureAndInstantiate(nint stream)
    {
        nint graph;
        Check(_streamEndCapture(stream, &graph), "cuStreamEndCapture");
        try
        {
            nint executable;
            Check(_graphInstantiate(&executable, graph, 0), "cuGraphInstantiateWithFlags");
            return executable;
        }
        finally
        {
            Check(_graphDestroy(graph), "cuGraphDestroy");
        }
    }

    public void LaunchGraph(nint executable, nint stream) => Check(_graphLaunch(executable, stream), "cuGraphLaunch");

    public void DestroyGraph(nint executable) => Check(_graphExecDestroy(executable), "cuGraphExecDestroy");

    private void Check(int code, string api)
    {
        if (code != 0)
        {
            throw Error(api, code);
        }
    }

    private CudaException Error(string api, int code)
    {
        byte* name = null;
        byte* text = null;
        _ = _getErrorName(code, &name);
        _ = _getErrorString(code, &text);
        var description = $"{Marshal.PtrToStringUTF8((nint)name) ?? "CUDA_ERROR_?"} ({Marshal.PtrToStringUTF8((nint)text) ?? "unknown error"})";
        return new CudaException(api, code, description);
    }
}
