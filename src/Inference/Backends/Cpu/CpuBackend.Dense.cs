using System.Runtime.CompilerServices;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>The GEMM-based ops: Linear, Conv1d, attention (Conv2d has its own file), and the GEMM itself.</summary>
public sealed unsafe partial class CpuBackend
{
    /// <summary>GEMMs below this many multiply-adds run as one call on the caller: a hand-off would cost more.</summary>
    private const long SplitGemmMultiplyAdds = 1 << 20;

    /// <summary>
    /// Parts per thread of a split GEMM: more than one, so that when the OS delays a thread (two shared cores) the
    /// others take its parts, few enough that re-packing the unsplit operand per part stays a few percent.
    /// </summary>
    private const int GemmPartsPerThread = 2;

    /// <summary>
    /// C[m, n] = act(alpha·(A·op(B) + bias) + beta·C) (row-major; op(B) = Bᵀ for B stored [n, k]; bias [n] or null) on
    /// the pool, like every other kernel: the output is cut along its longer side into parts, each one
    /// single-threaded OpenBLAS call followed by the bias and activation on its block while that is still in cache.
    /// Cutting the longer side means every part re-packs the smaller of the other operands. OpenBLAS's own threads
    /// are never used, so no second thread team spins on the cores the pool needs next.
    /// </summary>
    private void Gemm(bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc,
        float* bias = null, Activation activation = Activation.None)
    {
        var byColumns = n > m;
        var length = byColumns ? n : m;
        var parts = _pool.Threads == 1 || (long)m * n * k < SplitGemmMultiplyAdds ? 1 : Math.Min(GemmPartsPerThread * _pool.Threads, (length + 15) / 16);
        var part = ((length + parts - 1) / parts + 15) / 16 * 16;
        var job = new GemmJob(transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, byColumns, part, bias, activation);
        using (OpenBlas.SingleThreadedSection())
        {
            _pool.For((length + part - 1) / part, 1, &GemmParts, &job);
        }
    }
    public void Linear(Tensor input, PreparedLinear layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null, float scale = 1f)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var prepared = Prepared<CpuPreparedLinear>(layer, "Linear");
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        if (input.Shape.Last != layer.InFeatures)
        {
            throw new ArgumentException($"'input' {input.Shape} must end in the layer's {layer.InFeatures} input features.", nameof(input));
        }
        RequireShape(output, input.Shape.WithLast(layer.OutFeatures), nameof(output));
        RequireDisjoint(output, input, nameof(input));
        var beta = LoadResidual(residual, output, y);

        Gemm(true, input.Shape.Rows, layer.OutFeatures, layer.InFeatures, scale, x, layer.InFeatures, prepared.Weight, layer.InFeatures, beta, y,
            layer.OutFeatures, prepared.Bias, activation);
    }

    public void Conv1d(Tensor input, PreparedConv1d layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var prepared = Prepared<CpuPreparedConv1d>(layer, "Conv1d");
        var g = layer.Geometry;
        RequireRank(input, 3, "[B, C, T]", nameof(input));
        var (batch, length) = (input.Shape[0], input.Shape[2]);
        if (input.Shape[1] != g.InChannels)
        {
            throw new ArgumentException($"'input' {input.Shape} must have the layer's {g.InChannels} channels.", nameof(input));
        }
        var outLength = g.OutputLength(length);
        if (outLength < 1)
        {
            throw new ArgumentException($"'input' has {length} steps, fewer than the kernel covers ({g}).", nameof(input));
        }
        RequireShape(output, new TensorShape(batch, g.OutChannels, outLength), nameof(output));
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireDisjoint(output, input, nameof(input));
        var beta = LoadResidual(residual, output, y);

        if (prepared.IsDepthwise)
        {
            var depthwise = new DepthwiseJob(x, y, prepared.Weight, prepared.Bias, g, length, outLength, beta != 0f, activation);
            _pool.For(batch * g.OutChannels, RowGrain((long)outLength * g.KernelSize), &DepthwiseRows, &depthwise);
            return;
        }
        if (prepared.Bands is { } bands)
        {
            fixed (int* band = bands)
            {
                var job = new BandedJob(x, y, prepared.Weight, band, g.OutChannels, g.InChannels, length, beta != 0f);
                _pool.For(batch * g.OutChannels, RowGrain(4L * length), &BandedRows, &job);
            }
        }
        else if (prepared.IsPointwise)
        {
            for (var b = 0; b < batch; b++)
            {
                Gemm(false, g.OutChannels, length, g.InChannels, 1f, prepared.Weight, g.InChannels,
                    x + (long)b * g.InChannels * length, length, beta, y + (long)b * g.OutChannels * length, length);
            }
        }
        else
        {
            Conv1dByColumns(prepared, x, y, batch, length, outLength, beta);
        }
        ChannelEpilogue(y, batch * g.OutChannels, outLength, prepared.Bias, g.OutChannels, activation);
    }

    public void Attention(Tensor query, Tensor key, Tensor value, int heads, Tensor output)
    {
        RequireRank(query, 3, "[B, T, H]", nameof(query));
        RequireShape(key, query.Shape, nameof(key));
        RequireShape(value, query.Shape, nameof(value));
        RequireShape(output, query.Shape, nameof(output));
        var (batch, length, width) = (query.Shape[0], query.Shape[1], query.Shape[2]);
        if (heads < 1 || width % heads != 0)
        {
            throw new ArgumentException($"{heads} heads do not divide the width {width}.", nameof(heads));
        }
        var q = Resolve(query, nameof(query));
        var k = Resolve(key, nameof(key));
        var v = Resolve(value, nameof(value));
        var o = Resolve(output, nameof(output));
        RequireDisjoint(output, query, nameof(query));
        RequireDisjoint(output, key, nameof(key));
        RequireDisjoint(output, value, nameof(value));

        // One job over all (batch, head) pairs: each thread takes whole heads and runs their two GEMMs with a
        // single OpenBLAS thread, between them the softmax of its own [T, T] score block. One fork-join per
        // attention instead of three per head, and no OpenBLAS thread team for GEMMs this small.
        using var scope = _scratch.BeginScope();
        var scores = Resolve(_scratch.Allocate(_pool.Threads, length + 1, length), "scores");
        var job = new AttentionJob(q, k, v, o, scores, heads, length, width, 1f / MathF.Sqrt(width / heads));
        using (OpenBlas.SingleThreadedSection())
        {
            _pool.For(batch * heads, 1, &AttentionHeads, &job);
        }
    }

    private readonly struct GemmJob(bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c,
        int ldc, bool byColumns, int part, float* bias, Activation activation)
    {
        public readonly float* Bias = bias;
        public readonly Activation Activation = activation;
        public readonly bool TransposeB = transposeB;
        public readonly int M = m;
        public readonly int N = n;
        public readonly int K = k;
        public readonly float Alpha = alpha;
        public readonly float* A = a;
        public readonly int Lda = lda;
        public readonly float* B = b;
        public readonly int Ldb = ldb;
        public readonly float Beta = beta;
        public readonly float* C = c;
        public readonly int Ldc = ldc;
        public readonly bool ByColumns = byColumns;
        public readonly int Part = part;
    }

    /// <summary>Parts of a split GEMM: column blocks of B and C, or row blocks of A and C, each with its epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GemmParts(void* state, int begin, int end)
    {
        var job = (GemmJob*)state;
        var first = begin * job->Part;
        var rows = job->M;
        var columns = job->N;
        var c = job->C;
        if (job->ByColumns)
        {
            columns = Math.Min(end * job->Part, job->N) - first;
            var b = job->TransposeB ? job->B + (long)first * job->Ldb : job->B + first;
            c += first;
            OpenBlas.GemmOnThisThread(job->TransposeB, rows, columns, job->K, job->Alpha, job->A, job->Lda, b, job->Ldb, job->Beta, c, job->Ldc);
        }
        else
        {
            rows = Math.Min(end * job->Part, job->M) - first;
            c += (long)first * job->Ldc;
            OpenBlas.GemmOnThisThread(job->TransposeB, rows, columns, job->K, job->Alpha, job->A + (long)first * job->Lda, job->Lda, job->B, job->Ldb,
                job->Beta, c, job->Ldc);
        }
        if (job->Bias == null && job->Activation == Activation.None)
        {
            return;
        }
        var bias = job->Bias == null ? null : job->Bias + (job->ByColumns ? first : 0);
        for (var r = 0; r < rows; r++)
        {
            ActivationKernels.BiasActivate(job->Activation, c + (long)r * job->Ldc, columns, bias, job->Alpha, 0f);
        }
    }

    /// <summary>Copies the residual into the output (unless they are the same), and returns the GEMM's beta.</summary>
    private float LoadResidual(Tensor? residual, Tensor output, float* y)
    {
        if (residual is not { } r)
        {
            return 0f;
        }
        RequireShape(r, output.Shape, nameof(residual));
        var source = Resolve(r, nameof(residual));
        if (!r.SameElements(output))
        {
            RequireDisjoint(output, r, nameof(residual));
            new ReadOnlySpan<float>(source, r.ElementCount).CopyTo(new Span<float>(y, r.ElementCount));
        }
        return 1f;
    }

    private void Conv1dByColumns(CpuPreparedConv1d prepared, float* x, float* y, int batch, int length, int outLength, float beta)
    {
        var g = prepared.Geometry;
        var inPerGroup = g.InChannels / g.Groups;
        var outPerGroup = g.OutChannels / g.Groups;
        var rows = inPerGroup * g.KernelSize;
        var tile = Math.Clamp(ColumnTileElements / rows, 1, outLength);
        using var scope = _scratch.BeginScope();
        var columns = Resolve(_scratch.Allocate(rows, tile), "columns");
        for (var b = 0; b < batch; b++)
        {
            for (var group = 0; group < g.Groups; group++)
            {
                var channels = x + ((long)b * g.InChannels + group * inPerGroup) * length;
                var weight = prepared.Weight + (long)group * outPerGroup * rows;
                var target = y + ((long)b * g.OutChannels + group * outPerGroup) * outLength;
                for (var t0 = 0; t0 < outLength; t0 += tile)
                {
                    var count = Math.Min(tile, outLength - t0);
                    var job = new Im2Col1dJob(channels, columns, length, g.KernelSize, g.Stride, g.PaddingLeft, t0, count);
                    _pool.For(rows, RowGrain(count), &Im2Col1dRows, &job);
                    Gemm(false, outPerGroup, count, rows, 1f, weight, rows, columns, count, beta, target + t0, outLength);
                }
            }
        }
    }

    /// <summary>Bias per channel and activation over [rows = B·C, length] output rows.</summary>
    private void ChannelEpilogue(float* y, int rows, int length, float* bias, int channels, Activation activation)
    {
        if (bias == null && activation == Activation.None)
        {
            return;
        }
        var job = new EpilogueJob(y, length, bias, activation, channels);
        _pool.For(rows, RowGrain(length), &EpilogueRows, &job);
    }

    /// <summary>y = act(y + bias[row mod Channels]) per row of a convolution's output.</summary>
    private readonly struct EpilogueJob(float* output, int length, float* bias, Activation activation, int channels)
    {
        public readonly float* Output = output;
        public readonly int Length = length;
        public readonly float* Bias = bias;
        public readonly Activation Activation = activation;
        public readonly int Channels = channels;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EpilogueRows(void* state, int begin, int end)
    {
        var job = (EpilogueJob*)state;
        for (var r = begin; r < end; r++)
        {
            var bias = job->Bias == null ? 0f : job->Bias[r % job->Channels];
            ActivationKernels.BiasActivate(job->Activation, job->Output + (long)r * job->Length, job->Length, null, 1f, bias);
        }
    }

    private readonly struct AttentionJob(float* query, float* key, float* value, float* output, float* scores, int heads, int length,
        int width, float scale)
    {
        public readonly float* Query = query;
        public readonly float* Key = key;
        public readonly float* Value = value;
        public readonly float* Output = output;
        public readonly float* Scores = scores;
        public readonly int Heads = heads;
        public readonly int Length = length;
        public readonly int Width = width;
        public readonly float Scale = scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttentionHeads(void* state, int begin, int end)
    {
        var job = (AttentionJob*)state;
        var (length, width) = (job->Length, job->Width);
        var headDim = width / job->Heads;
        var scores = job->Scores + (long)WorkerPool.Slot * (length + 1) * length;
        var inverseSums = scores + (long)length * length;
        for (var item = begin; item < end; item++)
        {
            var (b, h) = Math.DivRem(item, job->Heads);
            // One head's columns of the [T, H] rows, read in place with row stride H: no copies.
            var head = (long)b * length * width + (long)h * headDim;
            OpenBlas.GemmOnThisThread(true, length, length, headDim, job->Scale, job->Query + head, width, job->Key + head, width, 0f, scores, length);
            for (var r = 0; r < length; r++)
            {
                inverseSums[r] = (float)(1 / NormalizationKernels.Exponentiate(scores + (long)r * length, scores + (long)r * length, length));
            }
            // Softmax's division on the [T, d] output rather than on the [T, T] scores: one pass over T·T less.
            var output = job->Output + head;
            OpenBlas.GemmOnThisThread(false, length, headDim, length, 1f, scores, length, job->Value + head, width, 0f, output, width);
            for (var r = 0; r < length; r++)
            {
                var row = new Span<float>(output + (long)r * width, headDim);
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, inverseSums[r], row);
            }
        }
    }

    private readonly struct DepthwiseJob(float* input, float* output, float* weight, float* bias, Conv1dGeometry geometry,
        int length, int outLength, bool hasResidual, Activation activation)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly float* Weight = weight;
        public readonly float* Bias = bias;
        public readonly Conv1dGeometry Geometry = geometry;
        public readonly int Length = length;
        public readonly int OutLength = outLength;
        public readonly bool HasResidual = hasResidual;
        public readonly Activation Activation = activation;
    }

    /// <summary>Rows of B·C channels: bias (+ residual already there), the taps, the activation, while the row is in L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DepthwiseRows(void* state, int begin, int end)
    {
        var job = (DepthwiseJob*)state;
        var g = job->Geometry;
        for (var r = begin; r < end; r++)
        {
            var channel = r % g.OutChannels;
            var row = new Span<float>(job->Output + (long)r * job->OutLength, job->OutLength);
            var bias = job->Bias == null ? 0f : job->Bias[channel];
            if (!job->HasResidual)
            {
                row.Fill(bias);
            }
            else if (bias != 0f)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
            }
            fixed (float* output = row)
            {
                ConvolutionKernels.DepthwiseRow(job->Input + (long)r * job->Length, job->Length, job->Weight + (long)channel * g.KernelSize,
                    g.KernelSize, g.Stride, g.PaddingLeft, output, job->OutLength);
                ActivationKernels.Apply(job->Activation, output, output, job->OutLength);
            }
        }
    }

    private readonly struct BandedJob(float* input, float* output, float* weight, int* bands, int outChannels, int inChannels, int length,
        bool hasResidual)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly float* Weight = weight;
        public readonly int* Bands = bands;
        public readonly int OutChannels = outChannels;
        public readonly int InChannels = inChannels;
        public readonly int Length = length;
        public readonly bool HasResidual = hasResidual;
    }

    /// <summary>Output rows of a banded pointwise convolution: y[o] (+)= Σ over the band of w[o, c]·x[c], row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BandedRows(void* state, int begin, int end)
    {
        var job = (BandedJob*)state;
        for (var r = begin; r < end; r++)
        {
            var (b, o) = Math.DivRem(r, job->OutChannels);
            var row = new Span<float>(job->Output + (long)r * job->Length, job->Length);
            if (!job->HasResidual)
            {
                row.Clear();
            }
            var input = job->Input + (long)b * job->InChannels * job->Length;
            var weights = job->Weight + (long)o * job->InChannels;
            for (var c = job->Bands[2 * o]; c < job->Bands[2 * o + 1]; c++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(input + (long)c * job->Length, job->Length), weights[c], row, row);
            }
        }
    }

    private readonly struct Im2Col1dJob(float* channels, float* columns, int length, int kernel, int stride, int padding, int t0, int count)
    {
        public readonly float* Channels = channels;
        public readonly float* Columns = columns;
        public readonly int Length = length;
        public readonly int Kernel = kernel;
        public readonly int Stride = stride;
        public readonly int Padding = padding;
        public readonly int T0 = t0;
        public readonly int Count = count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2Col1dRows(void* state, int begin, int end)
    {
        var job = (Im2Col1dJob*)state;
        for (var r = begin; r < end; r++)
        {
            var (channel, tap) = Math.DivRem(r, job->Kernel);
            ConvolutionKernels.Im2ColRow1d(job->Channels + (long)channel * job->Length, job->Length, tap, job->Stride, job->Padding,
                job->T0, job->Count, job->Columns + (long)r * job->Count);
        }
    }
}
