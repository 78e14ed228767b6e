using System.Numerics.Tensors;
using System.Text;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Similarity;

/// <summary>A track placed on the map, with what editors colour points by.</summary>
public sealed record MapPoint(Track Track, double X, double Y);

/// <summary>
/// The 2-D projection: points, how many indexed tracks there were to sample from, and the share of the sample's variance
/// each axis explains.
/// </summary>
public sealed record CatalogProjection(IReadOnlyList<MapPoint> Points, int Indexed, double ExplainedX, double ExplainedY);

/// <summary>
/// A deterministic 2-D PCA of the track vectors for the editors' map. A large catalog is sampled: the tracks whose ids
/// hash lowest (FNV-1a, a fixed function, so the same catalog gives the same sample on every machine and run). The two
/// principal axes come from power iteration on the centred sample (the second kept orthogonal to the first), each
/// signed so that its largest loading is positive.
/// </summary>
public sealed class CatalogMap(ActiveStore active)
{
    public const int MaxSample = 10_000;
    private const int ListPage = 500;
    private const int MaxIterations = 500;
    private const double Tolerance = 1e-7;

    public async Task<CatalogProjection> ProjectAsync(int sample, CancellationToken cancellationToken)
    {
        if (sample is < 1 or > MaxSample)
        {
            throw new ArgumentException($"sample must be between 1 and {MaxSample}, got {sample}");
        }
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var (chosen, indexed) = await SampleAsync(store, sample, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Project(chosen, indexed, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the <paramref name="size"/> lowest-hashing indexed tracks (a max-heap on the hash), in id order: each with its
    /// track vector only, so memory is the sample's vectors, not every window of every track listed.
    /// </summary>
    private static async Task<(Sampled[] Chosen, int Indexed)> SampleAsync(ITrackStore store, int size, CancellationToken cancellationToken)
    {
        var heap = new PriorityQueue<Sampled, ulong>(size + 1, Comparer<ulong>.Create((x, y) => y.CompareTo(x)));
        var indexed = 0;
        TrackId? after = null;
        do
        {
            var page = await store.ListAsync(new TrackListQuery { Status = TrackStatus.Indexed, After = after, Limit = ListPage, WithVectors = true },
                cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Items)
            {
                indexed++;
                heap.Enqueue(new Sampled(record.Track, record.Vectors!.Vector), Hash(record.Track.Id));
                if (heap.Count > size)
                {
                    heap.Dequeue();
                }
            }
            after = page.Next;
        }
        while (after is not null);
        var chosen = heap.UnorderedItems.Select(item => item.Element).OrderBy(sampled => sampled.Track.Id).ToArray();
        return (chosen, indexed);
    }

    private sealed record Sampled(Track Track, float[] Vector);

    private static CatalogProjection Project(Sampled[] records, int indexed, CancellationToken cancellationToken)
    {
        if (records.Length == 0)
        {
            return new CatalogProjection([], indexed, 0, 0);
        }
        var rows = Centre(records);
        var total = rows.Sum(row => (double)TensorPrimitives.SumOfSquares(row));
        var first = PrincipalAxis(rows, null, cancellationToken);
        var second = PrincipalAxis(rows, first, cancellationToken);
        var points = new MapPoint[rows.Length];
        double varianceX = 0, varianceY = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var x = first is null ? 0 : TensorPrimitives.Dot(rows[i], first);
            var y = second is null ? 0 : TensorPrimitives.Dot(rows[i], second);
            varianceX += (double)x * x;
            varianceY += (double)y * y;
            points[i] = new MapPoint(records[i].Track, x, y);
        }
        return total > 0
            ? new CatalogProjection(points, indexed, varianceX / total, varianceY / total)
            : new CatalogProjection(points, indexed, 0, 0);
    }

    private static float[][] Centre(Sampled[] records)
    {
        var dimensions = records[0].Vector.Length;
        var mean = new float[dimensions];
        foreach (var record in records)
        {
            TensorPrimitives.Add(mean, record.Vector, mean);
        }
        TensorPrimitives.Divide(mean, records.Length, mean);
        var rows = new float[records.Length][];
        for (var i = 0; i < records.Length; i++)
        {
            rows[i] = new float[dimensions];
            TensorPrimitives.Subtract(records[i].Vector, mean, rows[i]);
        }
        return rows;
    }

    /// <summary>
    /// The unit direction of largest variance (orthogonal to <paramref name="previous"/> when given), by power iteration
    /// v ← Xᵀ(Xv) from the longest row (deterministic); null when nothing varies in that subspace.
    /// </summary>
    private static float[]? PrincipalAxis(float[][] rows, float[]? previous, CancellationToken cancellationToken)
    {
        var dimensions = rows[0].Length;
        var axis = new float[dimensions];
        var longest = rows.MaxBy(row => TensorPrimitives.SumOfSquares(Orthogonal(row, previous)))!;
        Orthogonal(longest, previous).CopyTo(axis, 0);
        if (!Normalise(axis))
        {
            return null;
        }
        var next = new float[dimensions];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Clear(next);
            foreach (var row in rows)
            {
                var projection = TensorPrimitives.Dot(row, axis);
                TensorPrimitives.MultiplyAdd(row, projection, next, next);
            }
            if (previous is not null)
            {
                TensorPrimitives.MultiplyAdd(previous, -TensorPrimitives.Dot(next, previous), next, next);
            }
            if (!Normalise(next))
            {
                return null;
            }
            var change = 1 - Math.Abs(TensorPrimitives.Dot(next, axis));
            (axis, next) = (next, axis);
            if (change < Tolerance)
            {
                break;
            }
        }
        // Fixed sign convention: the largest loading (by magnitude; the first of equals) is positive.
        if (axis[TensorPrimitives.IndexOfMaxMagnitude(axis)] < 0)
        {
            TensorPrimitives.Negate(axis, axis);
        }
        return axis;
    }

    private static float[] Orthogonal(float[] row, float[]? previous)
    {
        if (previous is null)
        {
            return row;
        }
        var result = new float[row.Length];
        TensorPrimitives.MultiplyAdd(previous, -TensorPrimitives.Dot(row, previous), row, result);
        return result;
    }

    private static bool Normalise(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 1e-12f))
        {
            return false;
        }
        TensorPrimitives.Divide(vector, norm, vector);
        return true;
    }

    /// <summary>64-bit FNV-1a of the id's UTF-8 bytes: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    internal static ulong Hash(TrackId id)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(id.Value))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}
