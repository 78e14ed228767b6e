using MusicSearch.Api.Paging;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>Relay's PageInfo: where the page stands in the whole list.</summary>
public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

/// <summary>An item of a connection with the cursor that continues after it.</summary>
public sealed record Edge<T>(string Cursor, T Node);

/// <summary>A page of a list as a Relay cursor connection.</summary>
public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo);

/// <summary>The <c>PageInfo</c> type and the connection and edge types of each listed node type.</summary>
internal static class Connections
{
    /// <summary>A page of a list paged by position (<see cref="OffsetCursor"/>), which began after <paramref name="after"/>.</summary>
    public static Connection<T> FromOffsetPage<T>(Page<T> page, string? after)
    {
        ArgumentNullException.ThrowIfNull(page);
        var offset = OffsetCursor.Decode(after);
        var edges = page.Items.Select((item, i) => new Edge<T>(OffsetCursor.Encode(offset + i + 1), item)).ToArray();
        return new Connection<T>(edges, new PageInfo(page.HasNextPage, offset > 0, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
    }

    public static SchemaBuilder AddPageInfo(this SchemaBuilder schema) => schema
        .Object<PageInfo>("PageInfo", type => type
            .Description("Where a page stands in its list (Relay cursor connections). Pages go forward: pass `endCursor` as `after` for the next one.")
            .Field("hasNextPage", "Boolean!", info => info.HasNextPage)
            .Field("hasPreviousPage", "Boolean!", info => info.HasPreviousPage)
            .Field("startCursor", "String", info => info.StartCursor)
            .Field("endCursor", "String", info => info.EndCursor));

    /// <summary>
    /// <c>{Name}Connection { edges: [{Name}Edge!]!, nodes: [{NodeType}!]!, pageInfo: PageInfo! }</c> and
    /// <c>{Name}Edge { cursor: String!, node: {NodeType}! … }</c>, with the edge's own fields (a score, say) added by
    /// <paramref name="edgeFields"/>.
    /// </summary>
    public static SchemaBuilder AddConnection<TItem, TNode>(this SchemaBuilder schema, string name, string nodeType, Func<TItem, TNode> node, string description,
        Action<ObjectTypeBuilder<Edge<TItem>>>? edgeFields = null) => schema
        .Object<Connection<TItem>>(name + "Connection", type => type
            .Description(description)
            .Field("edges", $"[{name}Edge!]!", connection => connection.Edges)
            .Field("nodes", $"[{nodeType}!]!", field => field
                .Description("The edges' nodes, for clients that need no cursor per item.")
                .Resolve(context => context.Parent.Edges.Select(edge => node(edge.Node))))
            .Field("pageInfo", "PageInfo!", connection => connection.PageInfo))
        .Object<Edge<TItem>>(name + "Edge", type =>
        {
            type.Field("cursor", "String!", field => field
                    .Description("Pass as `after` to continue after this item.")
                    .Resolve(context => context.Parent.Cursor))
                .Field("node", $"{nodeType}!", edge => node(edge.Node));
            edgeFields?.Invoke(type);
        });
}
