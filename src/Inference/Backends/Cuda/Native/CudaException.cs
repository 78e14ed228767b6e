namespace MusicSearch.Inference.Backends.Cuda.Native;

/// <summary>A CUDA driver, cuBLASLt or NVRTC call that returned an error: the API name, the code and the library's own text.</summary>
public sealed class CudaException : Exception
{
    public CudaException()
    {
    }

    public CudaException(string message) : base(message)
    {
    }

    public CudaException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CudaException(string api, int code, string description)
        : base($"{api} failed with {code}: {description}")
    {
        Api = api;
        Code = code;
    }

    /// <summary>The function that failed, e.g. <c>cuMemAlloc_v2</c>.</summary>
    public string? Api { get; }

    /// <summary>The library's status code (CUresult, cublasStatus_t, nvrtcResult).</summary>
    public int Code { get; }
}
