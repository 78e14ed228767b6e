// Epilogue of Linear/Conv: y[r, n] = act(scale * (y[r, n] + bias[n]) + residual[r, n]) on the GEMM's output,
// for the cases cuBLASLt's own epilogues (bias, relu, gelu) do not cover: SiLU, a scale, a residual.
extern "C" __global__ void ms_bias_activation(float* y, const float* bias, const float* residual, long long rows,
    int columns, float scale, int activation)
{
    const long long total = rows * columns;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
    {
        float value = y[i] + (bias ? bias[i % columns] : 0.0f);
        value = scale * value + (residual ? residual[i] : 0.0f);
        y[i] = ms_activate(value, activation);
    }
}

// Bias per channel of [B, C, L] (convolutions): channel = (i / length) % channels.
extern "C" __global__ void ms_channel_bias_activation(float* y, const float* bias, const float* residual, long long total,
    int channels, long long length, int activation)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
    {
        float value = y[i] + (bias ? bias[(i / length) % channels] : 0.0f) + (residual ? residual[i] : 0.0f);
        y[i] = ms_activate(value, activation);
    }
}

extern "C" __global__ void ms_activate_kernel(const float* x, float* y, long long total, int activation)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
        y[i] = ms_activate(x[i], activation);
}

extern "C" __global__ void ms_add(const float* x, const float* other, float* y, long long total, float scale)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
        y[i] = x[i] + scale * other[i];
}

// (10·log10(max(x, floor)) − mean) / std.
extern "C" __global__ void ms_power_to_db(const float* x, float* y, long long total, float floor_value, float mean, float std)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
        y[i] = (10.0f * log10f(fmaxf(x[i], floor_value)) - mean) / std;
}

// fp32 → bf16/fp16 copies of weights and GEMM inputs for the reduced-precision modes.
extern "C" __global__ void ms_to_bf16(const float* x, __nv_bfloat16* y, long long total)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
        y[i] = __float2bfloat16_rn(x[i]);
}

extern "C" __global__ void ms_to_fp16(const float* x, __half* y, long long total)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
        y[i] = __float2half_rn(x[i]);
}
