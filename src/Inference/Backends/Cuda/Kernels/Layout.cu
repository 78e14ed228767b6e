// [batches, R, C] → [batches, C, R] through a 32×33 shared tile (the padding column avoids bank conflicts).
extern "C" __global__ void ms_transpose(const float* x, float* y, int rows, int columns)
{
    __shared__ float tile[32][33];
    const long long plane = (long long)blockIdx.z * rows * columns;
    int c = blockIdx.x * 32 + threadIdx.x, r = blockIdx.y * 32 + threadIdx.y;
    for (int k = 0; k < 32; k += blockDim.y)
        if (r + k < rows && c < columns) tile[threadIdx.y + k][threadIdx.x] = x[plane + (long long)(r + k) * columns + c];
    __syncthreads();
    c = blockIdx.y * 32 + threadIdx.x; r = blockIdx.x * 32 + threadIdx.y;
    for (int k = 0; k < 32; k += blockDim.y)
        if (r + k < columns && c < rows) y[plane + (long long)(r + k) * rows + c] = tile[threadIdx.x][threadIdx.y + k];
}

// [B, T, C] → [B, C]: one thread per (b, c), coalesced over c.
extern "C" __global__ void ms_mean_over_time(const float* x, float* y, int batch, int length, int channels)
{
    const long long index = blockIdx.x * (long long)blockDim.x + threadIdx.x;
    if (index >= (long long)batch * channels) return;
    const long long b = index / channels, c = index % channels;
    float sum = 0.0f;
    for (int t = 0; t < length; ++t) sum += x[(b * length + t) * channels + c];
    y[index] = sum / length;
}

// GLU over an axis viewed as [outer, 2, half, inner]: y[o, h, i] = a·sigmoid(b).
extern "C" __global__ void ms_glu(const float* x, float* y, long long outer, long long half, long long inner)
{
    const long long total = outer * half * inner;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
    {
        const long long o = i / (half * inner), rest = i % (half * inner);
        const float a = x[o * 2 * half * inner + rest], g = x[o * 2 * half * inner + half * inner + rest];
        y[i] = a / (1.0f + __expf(-g));
    }
}

// Wav2Vec2-Conformer rotary on [B, T, H] in chunks of d: x⊙cos[t] + rot(x)⊙sin[t], rot(x) = [−x[d/2:], x[:d/2]].
// One thread per (j, j + d/2) pair, which it reads before writing: safe in place.
extern "C" __global__ void ms_rotary(const float* x, const float* cos_table, const float* sin_table, float* y,
    long long pairs, int length, int hidden, int d)
{
    const int half = d / 2;
    for (long long p = blockIdx.x * (long long)blockDim.x + threadIdx.x; p < pairs; p += (long long)gridDim.x * blockDim.x)
    {
        const long long base = (p / half) * d;
        const int j = (int)(p % half), t = (int)((base / hidden) % length);
        const float a = x[base + j], b = x[base + j + half];
        y[base + j] = a * cos_table[t * d + j] - b * sin_table[t * d + j];
        y[base + j + half] = b * cos_table[t * d + j + half] + a * sin_table[t * d + j + half];
    }
}
