// One block per row of [rows, C]: LayerNorm with the biased variance (two passes over the row, in registers' reach of L1).
extern "C" __global__ void ms_layer_norm(const float* x, const float* gamma, const float* beta, float* y, int columns, float epsilon)
{
    __shared__ float shared32[32];
    const float* row = x + (long long)blockIdx.x * columns;
    float* out = y + (long long)blockIdx.x * columns;
    float sum = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) sum += row[c];
    const float mean = ms_block_sum(sum, shared32) / columns;
    float squares = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) { const float d = row[c] - mean; squares += d * d; }
    const float inverse = rsqrtf(ms_block_sum(squares, shared32) / columns + epsilon);
    for (int c = threadIdx.x; c < columns; c += blockDim.x)
    {
        const float n = (row[c] - mean) * inverse;
        out[c] = gamma ? n * gamma[c] + (beta ? beta[c] : 0.0f) : n;
    }
}

// [B, C, T]: one thread per (b, t), striding over channels (coalesced across t).
extern "C" __global__ void ms_layer_norm_channels(const float* x, const float* gamma, const float* beta, float* y,
    int batch, int channels, int length, float epsilon)
{
    const long long index = blockIdx.x * (long long)blockDim.x + threadIdx.x;
    if (index >= (long long)batch * length) return;
    const long long b = index / length, t = index % length;
    const float* base = x + b * channels * length + t;
    float mean = 0.0f;
    for (int c = 0; c < channels; ++c) mean += base[(long long)c * length];
    mean /= channels;
    float variance = 0.0f;
    for (int c = 0; c < channels; ++c) { const float d = base[(long long)c * length] - mean; variance += d * d; }
    const float inverse = rsqrtf(variance / channels + epsilon);
    float* out = y + b * channels * length + t;
    for (int c = 0; c < channels; ++c)
    {
        const float n = (base[(long long)c * length] - mean) * inverse;
        out[(long long)c * length] = (gamma ? gamma[c] : 1.0f) * n + (beta ? beta[c] : 0.0f);
    }
}

// One block per (batch, group) of [B, C, L]: statistics over C/groups channels × L.
extern "C" __global__ void ms_group_norm(const float* x, const float* gamma, const float* beta, float* y,
    int channels, long long length, int groups, float epsilon)
{
    __shared__ float shared32[32];
    const int perGroup = channels / groups;
    const long long count = (long long)perGroup * length;
    const long long offset = (long long)blockIdx.x * count;  // groups are contiguous in [B, C, L]
    const int firstChannel = (blockIdx.x % groups) * perGroup;
    float sum = 0.0f;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) sum += x[offset + i];
    const float mean = ms_block_sum(sum, shared32) / count;
    float squares = 0.0f;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) { const float d = x[offset + i] - mean; squares += d * d; }
    const float inverse = rsqrtf(ms_block_sum(squares, shared32) / count + epsilon);
    for (long long i = threadIdx.x; i < count; i += blockDim.x)
    {
        const int c = firstChannel + (int)(i / length);
        const float n = (x[offset + i] - mean) * inverse;
        y[offset + i] = (gamma ? gamma[c] : 1.0f) * n + (beta ? beta[c] : 0.0f);
    }
}

// One block per row: max-subtracted softmax, in place allowed.
extern "C" __global__ void ms_softmax(const float* x, float* y, int columns)
{
    __shared__ float shared32[32];
    const float* row = x + (long long)blockIdx.x * columns;
    float* out = y + (long long)blockIdx.x * columns;
    float best = -INFINITY;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) best = fmaxf(best, row[c]);
    best = ms_block_max(best, shared32);
    float sum = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) { const float e = __expf(row[c] - best); out[c] = e; sum += e; }
    const float inverse = 1.0f / ms_block_sum(sum, shared32);
    for (int c = threadIdx.x; c < columns; c += blockDim.x) out[c] *= inverse;
}
