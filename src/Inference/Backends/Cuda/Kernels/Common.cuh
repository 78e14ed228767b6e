// Shared by every kernel file (prepended by CudaKernelSources, NVRTC sees no include path).
// Activation codes match MusicSearch.Inference.Backends.Activation: 0 none, 1 relu, 2 silu, 3 gelu (erf form, as torch).
__device__ __forceinline__ float ms_activate(float x, int activation)
{
    switch (activation)
    {
        case 1: return fmaxf(x, 0.0f);
        case 2: return x / (1.0f + __expf(-x));
        case 3: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
        default: return x;
    }
}

// Sum over a block of blockDim.x threads (a multiple of 32, at most 1024); every thread gets the total.
__device__ __forceinline__ float ms_block_sum(float value, float* shared32)
{
    for (int offset = 16; offset > 0; offset >>= 1) value += __shfl_xor_sync(0xffffffffu, value, offset);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) shared32[warp] = value;
    __syncthreads();
    float total = 0.0f;
    for (int w = 0; w < (int)(blockDim.x >> 5); ++w) total += shared32[w];
    return total;
}

__device__ __forceinline__ float ms_block_max(float value, float* shared32)
{
    for (int offset = 16; offset > 0; offset >>= 1) value = fmaxf(value, __shfl_xor_sync(0xffffffffu, value, offset));
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) shared32[warp] = value;
    __syncthreads();
    float best = -INFINITY;
    for (int w = 0; w < (int)(blockDim.x >> 5); ++w) best = fmaxf(best, shared32[w]);
    return best;
}
