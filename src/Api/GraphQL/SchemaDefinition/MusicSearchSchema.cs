using MusicSearch.GraphQL.Types;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>
/// The schema apps and the editor UI query, built once at start from its parts (catalog, similarity, operations); the
/// parts hold the singleton services their resolvers call.
/// </summary>
public sealed class MusicSearchSchema
{
    public MusicSearchSchema(CatalogSchema catalog, SimilaritySchema similarity, OperationsSchema operations)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(operations);
        var builder = new SchemaBuilder()
            .Query(query =>
            {
                query.Description("Reads: tracks, what sounds like what, and how indexing is going.");
                catalog.AddQueries(query);
                similarity.AddQueries(query);
                operations.AddQueries(query);
            })
            .Mutation(mutation =>
            {
                mutation.Description("Catalog changes; every field needs an editor key.");
                operations.AddMutations(mutation);
            })
            .AddScalars()
            .AddPageInfo();
        catalog.AddTypes(builder);
        SimilaritySchema.AddTypes(builder);
        operations.AddTypes(builder);
        Schema = builder.Build();
    }

    public Schema Schema { get; }
}
