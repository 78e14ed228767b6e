using System.Runtime.CompilerServices;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>Normalisations, activations, layout ops and the mel frontend's signal ops.</summary>
public sealed unsafe partial class CpuBackend
{
    public void LayerNorm(Tensor input, Tensor? gamma, Tensor? beta, float epsilon, Tensor output)
    {
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        var width = input.Shape.Last;
        var job = new NormJob(x, y, width, epsilon, ResolveOptional(gamma, width, nameof(gamma)), ResolveOptional(beta, width, nameof(beta)), 0, 0);
        _pool.For(input.Shape.Rows, RowGrain(width), &LayerNormRows, &job);
    }

    public void LayerNormOverChannels(Tensor input, Tensor? gamma, Tensor? beta, float epsilon, Tensor output)
    {
        RequireRank(input, 3, "[B, C, T]", nameof(input));
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        var (batch, channels, length) = (input.Shape[0], input.Shape[1], input.Shape[2]);
        var blocks = (length + ChannelBlock - 1) / ChannelBlock;
        var job = new NormJob(x, y, length, epsilon, ResolveOptional(gamma, channels, nameof(gamma)),
            ResolveOptional(beta, channels, nameof(beta)), channels, blocks);
        _pool.For(batch * blocks, RowGrain((long)channels * ChannelBlock), &ChannelNormBlocks, &job);
    }

    public void GroupNorm(Tensor input, int groups, Tensor? gamma, Tensor? beta, float epsilon, Tensor output)
    {
        if (input.Shape.Rank < 2)
        {
            throw new ArgumentException($"'input' must be [B, C, ...], found {input.Shape}.", nameof(input));
        }
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        var (batch, channels) = (input.Shape[0], input.Shape[1]);
        if (groups < 1 || channels % groups != 0)
        {
            throw new ArgumentException($"{groups} groups do not divide {channels} channels.", nameof(groups));
        }
        var spatial = input.ElementCount / (batch * channels);
        var job = new NormJob(x, y, spatial, epsilon, ResolveOptional(gamma, channels, nameof(gamma)),
            ResolveOptional(beta, channels, nameof(beta)), channels, groups);
        _pool.For(batch * groups, RowGrain((long)spatial * channels / groups), &GroupNormGroups, &job);
    }

    public void Activate(Tensor input, Activation activation, Tensor output)
    {
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        var job = new ElementJob(x, null, y, 1f, activation);
        _pool.For(input.ElementCount, Grain, &ActivateElements, &job);
    }

    public void Glu(Tensor input, int axis, Tensor output)
    {
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        var shape = input.Shape;
        var index = axis < 0 ? axis + shape.Rank : axis;
        if ((uint)index >= (uint)shape.Rank || shape[index] % 2 != 0)
        {
            throw new ArgumentException($"Axis {axis} of {shape} must exist and have an even size.", nameof(axis));
        }
        var matches = output.Shape.Rank == shape.Rank;
        long inner = 1;
        for (var i = 0; i < shape.Rank && matches; i++)
        {
            matches = output.Shape[i] == (i == index ? shape[i] / 2 : shape[i]);
            inner *= i > index ? shape[i] : 1;
        }
        if (!matches)
        {
            throw new ArgumentException($"'output' must be {shape} with axis {axis} halved, found {output.Shape}.", nameof(output));
        }
        RequireDisjoint(output, input, nameof(input));
        var job = new GluJob(x, y, (int)(shape[index] / 2 * inner));
        _pool.For(output.ElementCount, Grain, &GluElements, &job);
    }

    public void Add(Tensor input, Tensor other, Tensor output, float scale = 1f)
    {
        var x = Resolve(input, nameof(input));
        var o = Resolve(other, nameof(other));
        var y = Resolve(output, nameof(output));
        RequireShape(other, input.Shape, nameof(other));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        RequireInPlaceOrDisjoint(output, other, nameof(other));
        var job = new ElementJob(x, o, y, scale, Activation.None);
        _pool.For(input.ElementCount, Grain, &AddElements, &job);
    }

    public void Transpose(Tensor input, Tensor output)
    {
        if (input.Shape.Rank < 2)
        {
            throw new ArgumentException($"'input' needs two dimensions to swap, found {input.Shape}.", nameof(input));
        }
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        var (rows, columns) = (input.Shape[-2], input.Shape[-1]);
        var expected = input.Shape.Rank switch
        {
            2 => new TensorShape(columns, rows),
            3 => new TensorShape(input.Shape[0], columns, rows),
            _ => new TensorShape(input.Shape[0], input.Shape[1], columns, rows),
        };
        RequireShape(output, expected, nameof(output));
        RequireDisjoint(output, input, nameof(input));
        var tiles = (rows + LayoutKernels.TransposeTile - 1) / LayoutKernels.TransposeTile;
        var matrices = input.ElementCount / (rows * columns);
        var job = new TransposeJob(x, y, rows, columns, tiles);
        _pool.For(matrices * tiles, RowGrain((long)columns * LayoutKernels.TransposeTile), &TransposeTiles, &job);
    }

    public void MeanOverTime(Tensor input, Tensor output)
    {
        RequireRank(input, 3, "[B, T, C]", nameof(input));
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        var (batch, length, channels) = (input.Shape[0], input.Shape[1], input.Shape[2]);
        RequireShape(output, new TensorShape(batch, channels), nameof(output));
        RequireDisjoint(output, input, nameof(input));
        for (var b = 0; b < batch; b++)
        {
            LayoutKernels.MeanOverTime(x + (long)b * length * channels, y + (long)b * channels, length, channels);
        }
    }

    public void Softmax(Tensor input, Tensor output)
    {
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        var job = new RowsJob(x, y, input.Shape.Last);
        _pool.For(input.Shape.Rows, RowGrain(input.Shape.Last), &SoftmaxRows, &job);
    }

    public void Rotary(Tensor input, Tensor cos, Tensor sin, Tensor output)
    {
        RequireRank(input, 3, "[B, T, H]", nameof(input));
        RequireRank(cos, 2, "[positions, head size]", nameof(cos));
        RequireShape(sin, cos.Shape, nameof(sin));
        var (batch, length, width) = (input.Shape[0], input.Shape[1], input.Shape[2]);
        var (positions, headDim) = (cos.Shape[0], cos.Shape[1]);
        if (headDim % 2 != 0 || width % headDim != 0)
        {
            throw new ArgumentException($"The head size {headDim} must be even and divide the width {width}.", nameof(cos));
        }
        if (positions < length)
        {
            throw new ArgumentException($"The tables cover {positions} positions; the input has {length}.", nameof(cos));
        }
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        var job = new RotaryJob(x, y, Resolve(cos, nameof(cos)), Resolve(sin, nameof(sin)), length, width, headDim);
        _pool.For(batch * length, RowGrain(width), &RotaryRows, &job);
    }

    public void StftPower(Tensor signal, PreparedStft stft, float exponent, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(stft);
        var prepared = Prepared<CpuPreparedStft>(stft, "STFT");
        var g = stft.Geometry;
        RequireRank(signal, 2, "[B, N]", nameof(signal));
        RequireRank(output, 3, "[B, bins, frames]", nameof(output));
        var (batch, samples) = (signal.Shape[0], signal.Shape[1]);
        var frames = output.Shape[2];
        RequireShape(output, new TensorShape(batch, g.Bins, frames), nameof(output));
        if (g.Mode == PaddingMode.Reflect && g.Padding >= samples)
        {
            throw new ArgumentException($"Reflect padding of {g.Padding} needs more than {g.Padding} samples; the signal has {samples}.", nameof(signal));
        }
        if ((long)(frames - 1) * g.Hop + g.NFft > samples + 2L * g.Padding)
        {
            throw new ArgumentException(
                $"{frames} frames of {g.NFft} at hop {g.Hop} run past the {samples} samples padded by {g.Padding} on each side.", nameof(output));
        }
        if (!(exponent > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "The exponent must be positive.");
        }
        var x = Resolve(signal, nameof(signal));
        var y = Resolve(output, nameof(output));
        RequireDisjoint(output, signal, nameof(signal));

        using var scope = _scratch.BeginScope();
        var scratch = Resolve(_scratch.Allocate(_pool.Threads, prepared.ScratchFloats), "scratch");
        var groups = (frames + FftKernels.Lanes - 1) / FftKernels.Lanes;
        var job = new StftJob(prepared.Tables, x, y, scratch, prepared.ScratchFloats, samples, frames, groups, exponent);
        _pool.For(batch * groups, 1, &StftGroups, &job);
    }

    public void PowerToDecibels(Tensor input, float floor, float mean, float std, Tensor output)
    {
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireShape(output, input.Shape, nameof(output));
        RequireInPlaceOrDisjoint(output, input, nameof(input));
        if (!(floor > 0f) || !(std > 0f) || !float.IsFinite(mean))
        {
            throw new ArgumentException($"The floor ({floor}) and std ({std}) must be positive and the mean ({mean}) finite.");
        }
        var job = new DecibelJob(x, y, floor, mean, std);
        _pool.For(input.ElementCount, Grain, &DecibelElements, &job);
    }

    /// <summary>Columns per block of <see cref="NormalizationKernels.LayerNormOverChannels"/>.</summary>
    private const int ChannelBlock = 32;

    /// <summary>Shared by the three norms: <see cref="Width"/> is the row length (LayerNorm), the time length
    /// (over channels) or the spatial size (GroupNorm); <see cref="Count"/> is column blocks or groups.</summary>
    private readonly struct NormJob(float* input, float* output, int width, float epsilon, float* gamma, float* beta, int channels, int count)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly int Width = width;
        public readonly float Epsilon = epsilon;
        public readonly float* Gamma = gamma;
        public readonly float* Beta = beta;
        public readonly int Channels = channels;
        public readonly int Count = count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LayerNormRows(void* state, int begin, int end)
    {
        var job = (NormJob*)state;
        for (var r = begin; r < end; r++)
        {
            var offset = (long)r * job->Width;
            var (mean, variance) = NormalizationKernels.Moments(job->Input + offset, job->Width);
            NormalizationKernels.Normalize(job->Input + offset, job->Output + offset, job->Width, mean,
                (float)(1 / Math.Sqrt(variance + job->Epsilon)), job->Gamma, job->Beta, perElement: true);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ChannelNormBlocks(void* state, int begin, int end)
    {
        var job = (NormJob*)state;
        for (var item = begin; item < end; item++)
        {
            var (b, block) = Math.DivRem(item, job->Count);
            var offset = (long)b * job->Channels * job->Width;
            var t0 = block * ChannelBlock;
            NormalizationKernels.LayerNormOverChannels(job->Input + offset, job->Output + offset, job->Channels, job->Width,
                t0, Math.Min(t0 + ChannelBlock, job->Width), job->Epsilon, job->Gamma, job->Beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GroupNormGroups(void* state, int begin, int end)
    {
        var job = (NormJob*)state;
        var perGroup = job->Channels / job->Count;
        for (var item = begin; item < end; item++)
        {
            var offset = (long)item * perGroup * job->Width;
            var (mean, variance) = NormalizationKernels.Moments(job->Input + offset, (long)perGroup * job->Width);
            var inverseStd = (float)(1 / Math.Sqrt(variance + job->Epsilon));
            var firstChannel = item % job->Count * perGroup;
            for (var c = 0; c < perGroup; c++)
            {
                var channel = firstChannel + c;
                var run = offset + (long)c * job->Width;
                NormalizationKernels.Normalize(job->Input + run, job->Output + run, job->Width, mean, inverseStd,
                    job->Gamma == null ? null : job->Gamma + channel, job->Beta == null ? null : job->Beta + channel, perElement: false);
            }
        }
    }

    private readonly struct ElementJob(float* input, float* other, float* output, float scale, Activation activation)
    {
        public readonly float* Input = input;
        public readonly float* Other = other;
        public readonly float* Output = output;
        public readonly float Scale = scale;
        public readonly Activation Activation = activation;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ActivateElements(void* state, int begin, int end)
    {
        var job = (ElementJob*)state;
        ActivationKernels.Apply(job->Activation, job->Input + begin, job->Output + begin, end - begin);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddElements(void* state, int begin, int end)
    {
        var job = (ElementJob*)state;
        ActivationKernels.Add(job->Input + begin, job->Other + begin, job->Output + begin, end - begin, job->Scale);
    }

    /// <summary><see cref="Half"/>: elements per half of the split axis (half the axis × the trailing size).</summary>
    private readonly struct GluJob(float* input, float* output, int half)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly int Half = half;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GluElements(void* state, int begin, int end)
    {
        var job = (GluJob*)state;
        var e = begin;
        while (e < end)
        {
            var (outer, j) = Math.DivRem(e, job->Half);
            var run = Math.Min(job->Half - j, end - e);
            var a = job->Input + (long)outer * 2 * job->Half + j;
            ActivationKernels.Glu(a, a + job->Half, job->Output + e, run);
            e += run;
        }
    }

    private readonly struct TransposeJob(float* input, float* output, int rows, int columns, int tiles)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly int Rows = rows;
        public readonly int Columns = columns;
        public readonly int Tiles = tiles;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeTiles(void* state, int begin, int end)
    {
        var job = (TransposeJob*)state;
        var size = (long)job->Rows * job->Columns;
        for (var item = begin; item < end; item++)
        {
            var (matrix, tile) = Math.DivRem(item, job->Tiles);
            var r0 = tile * LayoutKernels.TransposeTile;
            LayoutKernels.Transpose(job->Input + matrix * size, job->Output + matrix * size, job->Rows, job->Columns,
                r0, Math.Min(r0 + LayoutKernels.TransposeTile, job->Rows));
        }
    }

    private readonly struct RowsJob(float* input, float* output, int width)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly int Width = width;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRows(void* state, int begin, int end)
    {
        var job = (RowsJob*)state;
        for (var r = begin; r < end; r++)
        {
            var offset = (long)r * job->Width;
            NormalizationKernels.Softmax(job->Input + offset, job->Output + offset, job->Width);
        }
    }

    private readonly struct RotaryJob(float* input, float* output, float* cos, float* sin, int length, int width, int headDim)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly float* Cos = cos;
        public readonly float* Sin = sin;
        public readonly int Length = length;
        public readonly int Width = width;
        public readonly int HeadDim = headDim;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RotaryRows(void* state, int begin, int end)
    {
        var job = (RotaryJob*)state;
        for (var r = begin; r < end; r++)
        {
            var position = (long)(r % job->Length) * job->HeadDim;
            var offset = (long)r * job->Width;
            LayoutKernels.Rotary(job->Input + offset, job->Output + offset, job->Width, job->Cos + position, job->Sin + position, job->HeadDim);
        }
    }

    private readonly struct StftJob(StftTables stft, float* signal, float* output, float* scratch, int scratchFloats, int samples, int frames,
        int groups, float exponent)
    {
        public readonly StftTables Stft = stft;
        public readonly float* Signal = signal;
        public readonly float* Output = output;
        public readonly float* Scratch = scratch;
        public readonly int ScratchFloats = scratchFloats;
        public readonly int Samples = samples;
        public readonly int Frames = frames;
        public readonly int Groups = groups;
        public readonly float Exponent = exponent;
    }

    /// <summary>Groups of eight frames of one signal each, on the thread's own scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StftGroups(void* state, int begin, int end)
    {
        var job = (StftJob*)state;
        var scratch = job->Scratch + (long)WorkerPool.Slot * job->ScratchFloats;
        var bins = job->Stft.Geometry.Bins;
        for (var item = begin; item < end; item++)
        {
            var (b, group) = Math.DivRem(item, job->Groups);
            var f0 = group * FftKernels.Lanes;
            SignalKernels.PowerSpectra(job->Stft, job->Signal + (long)b * job->Samples, job->Samples, f0, Math.Min(FftKernels.Lanes, job->Frames - f0),
                job->Exponent, job->Output + (long)b * bins * job->Frames, job->Frames, scratch);
        }
    }

    private readonly struct DecibelJob(float* input, float* output, float floor, float mean, float std)
    {
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly float Floor = floor;
        public readonly float Mean = mean;
        public readonly float Std = std;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecibelElements(void* state, int begin, int end)
    {
        var job = (DecibelJob*)state;
        SignalKernels.Decibels(job->Input + begin, job->Output + begin, end - begin, job->Floor, job->Mean, job->Std);
    }
}
