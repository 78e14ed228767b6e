using System.Numerics;

namespace MusicSearch.Inference.Models.Classical;

/// <summary>Mean and population standard deviation over frames of each column of a [frames, columns] block, in double, mean first.</summary>
internal static class FrameStatistics
{
    public static void MeanAndStd<T>(ReadOnlySpan<T> frames, int columns, Span<double> mean, Span<double> std)
        where T : unmanaged, INumberBase<T>
    {
        var count = frames.Length / columns;
        mean[..columns].Clear();
        std[..columns].Clear();
        for (var f = 0; f < count; f++)
        {
            var row = frames.Slice(f * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                mean[c] += double.CreateTruncating(row[c]);
            }
        }
        for (var c = 0; c < columns; c++)
        {
            mean[c] /= count;
        }
        for (var f = 0; f < count; f++)
        {
            var row = frames.Slice(f * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                var d = double.CreateTruncating(row[c]) - mean[c];
                std[c] += d * d;
            }
        }
        for (var c = 0; c < columns; c++)
        {
            std[c] = Math.Sqrt(std[c] / count);
        }
    }
}
