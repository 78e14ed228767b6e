using System.Text.Json;
using System.Text.Json.Nodes;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// Pages of track points in track-id order, continuing after a given id, from Qdrant's numeric <c>order_by</c> over the
/// <see cref="TrackOrderKey"/> levels. At level <c>j</c>, among ids sharing the levels before it (the "group"):
/// <list type="number">
/// <item>the id that ends there (no <c>order_j</c>) comes first;</item>
/// <item>then a scroll ordered by <c>order_j</c> returns points sorted by that level. Every run of equal values but the
/// last one is complete, so it is sorted here by the whole id; the last run may be cut by the limit, so it is read
/// again as a group one level deeper.</item>
/// </list>
/// Continuing after an id first finishes that id's own groups (deepest first), then moves to greater values level by
/// level. A page costs a few requests per level the ids have, however many tracks share a prefix.
/// </summary>
/// <param name="store">Whose points are listed.</param>
/// <param name="baseFilter">Which track points are listed.</param>
/// <param name="levels">How many <c>order_N</c> fields have an index: no point has a deeper level (indexes come first).</param>
internal sealed class IdOrderScan(QdrantTrackStore store, Func<QdrantFilter> baseFilter, int levels)
{
    public async Task<List<JsonElement>> PageAsync(TrackId? after, int count, CancellationToken cancellationToken)
    {
        var page = new List<JsonElement>(count);
        if (after is { } cursor)
        {
            await AfterAsync(0, [], TrackOrderKey.Levels(cursor), page, count, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await GroupAsync(0, [], page, count, cancellationToken).ConfigureAwait(false);
        }
        return page;
    }

    /// <summary>Adds the members of the group (<paramref name="prefix"/> fixed) that come after the id of <paramref name="cursor"/>'s levels.</summary>
    private async Task AfterAsync(int level, long[] prefix, long[] cursor, List<JsonElement> page, int count, CancellationToken cancellationToken)
    {
        long[] deeper = [.. prefix, cursor[level]];
        if (level + 1 < cursor.Length)
        {
            await AfterAsync(level + 1, deeper, cursor, page, count, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The cursor ends at this level: in its own group, everything longer comes after it.
            await GreaterAsync(level + 1, deeper, null, page, count, cancellationToken).ConfigureAwait(false);
        }
        await GreaterAsync(level, prefix, cursor[level], page, count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds every member of the group, in order, until the page is full.</summary>
    private async Task GroupAsync(int level, long[] prefix, List<JsonElement> page, int count, CancellationToken cancellationToken)
    {
        if (level > 0 && page.Count < count)
        {
            var ending = await ScrollAsync(Filter(prefix).Must(QdrantFilter.IsEmpty(TrackOrderKey.Field(level))), null, 1, cancellationToken).ConfigureAwait(false);
            page.AddRange(ending);
        }
        await GreaterAsync(level, prefix, null, page, count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the members of the group whose level value is above <paramref name="above"/> (any, when null), in order.</summary>
    private async Task GreaterAsync(int level, long[] prefix, long? above, List<JsonElement> page, int count, CancellationToken cancellationToken)
    {
        var wanted = count - page.Count;
        if (wanted <= 0 || level >= levels)
        {
            return;
        }
        var field = TrackOrderKey.Field(level);
        var filter = Filter(prefix).MustNot(QdrantFilter.IsEmpty(field));
        if (above is { } value)
        {
            filter.Must(QdrantFilter.Range(field, gt: value));
        }
        var points = await ScrollAsync(filter, field, wanted, cancellationToken).ConfigureAwait(false);
        var cut = points.Count == wanted;
        var runs = points.GroupBy(point => LevelValue(point, field)).ToList();
        for (var r = 0; r < runs.Count; r++)
        {
            if (cut && r == runs.Count - 1)
            {
                await GroupAsync(level + 1, [.. prefix, runs[r].Key], page, count, cancellationToken).ConfigureAwait(false);
                return;
            }
            page.AddRange(runs[r].OrderBy(point => new TrackId(TrackPayload.String(QdrantTrackStore.Payload(point), TrackPayload.TrackId)!)));
        }
    }

    private QdrantFilter Filter(long[] prefix)
    {
        var filter = baseFilter();
        for (var level = 0; level < prefix.Length; level++)
        {
            filter.Must(QdrantFilter.Match(TrackOrderKey.Field(level), prefix[level]));
        }
        return filter;
    }

    private async Task<List<JsonElement>> ScrollAsync(QdrantFilter filter, string? orderBy, int limit, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["filter"] = filter.ToJson(),
            ["limit"] = limit,
            ["with_payload"] = true,
            ["with_vector"] = false,
        };
        if (orderBy is not null)
        {
            request["order_by"] = new JsonObject { ["key"] = orderBy, ["direction"] = "asc" };
        }
        return (await store.ScrollAsync(request, cancellationToken).ConfigureAwait(false)).Points;
    }

    private static long LevelValue(JsonElement point, string field) => TrackPayload.Long(QdrantTrackStore.Payload(point), field);
}
