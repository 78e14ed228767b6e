using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Execution;

/// <summary>The N+1 problem: a field on each of N list items must cost one batch call, not N lookups.</summary>
public class DataLoaderTests
{
    private readonly List<IReadOnlyList<int>> _batches = [];

    private Schema BuildSchema(bool failBatches = false) => new SchemaBuilder()
        .Query(query => query
            .Field("tracks", "[Track!]!", field => field
                .Argument("count", "Int!")
                .Resolve(context => Enumerable.Range(1, context.Argument<int>("count")).Select(id => new Track(id, ArtistId: id % 3)).ToList())))
        .Object<Track>("Track", track => track
            .Field("id", "Int!", t => t.Id)
            .Field("artist", "Artist", field => field.ResolveAsync(context =>
                context.DataLoader<int, Artist>("artists", (ids, cancellationToken) => LoadArtists(ids, failBatches, cancellationToken))
                    .LoadAsync(context.Parent.ArtistId))))
        .Object<Artist>("Artist", artist => artist
            .Field("id", "Int!", a => a.Id)
            .Field("name", "String!", a => a.Name)
            .Field("tracks", "[Track!]!", field => field.Resolve(context => new[] { new Track(100 + context.Parent.Id, context.Parent.Id + 10) })))
        .Build();

    private async Task<IReadOnlyDictionary<int, Artist>> LoadArtists(IReadOnlyList<int> ids, bool fail, CancellationToken cancellationToken)
    {
        lock (_batches)
        {
            _batches.Add(ids);
        }

        await Task.Delay(10, cancellationToken);
        return fail ? throw new GraphQLException("Artist store unavailable.", "UNAVAILABLE")
            : ids.Where(id => id != 0).ToDictionary(id => id, id => new Artist(id, $"artist {id}"));
    }

    [Fact]
    public async Task Sibling_list_items_share_one_batch_and_each_key_is_loaded_once()
    {
        var result = await new GraphQLExecutor().ExecuteAsync(BuildSchema(), new GraphQLRequest("{ tracks(count: 50) { id artist { name } } }"));

        Assert.Empty(result.Errors);
        var batch = Assert.Single(_batches);
        Assert.Equal([1, 2, 0], batch);
        var tracks = (object?[])result.Data!["tracks"]!;
        Assert.Equal(50, tracks.Length);
        Assert.Null(((ResultObject)tracks[2]!)["artist"]);
        Assert.Equal("artist 1", ((ResultObject)((ResultObject)tracks[0]!)["artist"]!)["name"]);
    }

    [Fact]
    public async Task Each_level_of_nesting_is_one_more_batch()
    {
        var result = await new GraphQLExecutor().ExecuteAsync(BuildSchema(),
            new GraphQLRequest("{ tracks(count: 6) { artist { tracks { artist { id } } } } }"));

        Assert.Empty(result.Errors);
        Assert.Equal(2, _batches.Count);
        Assert.Equal([1, 2, 0], _batches[0]);
        Assert.Equal([11, 12], _batches[1].Order());
    }

    [Fact]
    public async Task A_failed_batch_fails_every_field_that_waited_for_it()
    {
        var result = await new GraphQLExecutor().ExecuteAsync(BuildSchema(failBatches: true), new GraphQLRequest("{ tracks(count: 3) { artist { name } } }"));

        Assert.Single(_batches);
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, error => Assert.Equal(("Artist store unavailable.", "UNAVAILABLE"), (error.Message, error.Code)));
        Assert.Equal(["tracks", 1, "artist"], result.Errors.Select(error => error.Path!).Single(path => path[1] is 1));
    }

    [Fact]
    public async Task Loads_made_off_the_pump_are_still_dispatched()
    {
        var schema = new SchemaBuilder()
            .Query(query => query.Field("names", "[String]", field => field.ResolveAsync(async context =>
            {
                var names = new List<string?>();
                for (var id = 1; id <= 2; id++)
                {
                    // After ConfigureAwait(false) the resolver runs on the thread pool, not on the pump.
                    await Task.Delay(5).ConfigureAwait(false);
                    var artist = await context.DataLoader<int, Artist>("artists", (ids, ct) => LoadArtists(ids, fail: false, ct)).LoadAsync(id);
                    names.Add(artist?.Name);
                }

                return names;
            })))
            .Build();

        var result = await new GraphQLExecutor().ExecuteAsync(schema, new GraphQLRequest("{ names }")).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("""{"data":{"names":["artist 1","artist 2"]}}""", result.ToJson());
    }

    [Fact]
    public async Task Loaders_are_per_request()
    {
        var schema = BuildSchema();
        var executor = new GraphQLExecutor();

        await executor.ExecuteAsync(schema, new GraphQLRequest("{ tracks(count: 2) { artist { id } } }"));
        await executor.ExecuteAsync(schema, new GraphQLRequest("{ tracks(count: 2) { artist { id } } }"));

        Assert.Equal(2, _batches.Count);
    }

    private sealed record Track(int Id, int ArtistId);

    private sealed record Artist(int Id, string Name);
}
