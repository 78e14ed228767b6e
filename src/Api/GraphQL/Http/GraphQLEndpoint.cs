using Microsoft.Extensions.Options;
using MusicSearch.Api.GraphQL.SchemaDefinition;
using MusicSearch.Api.Limits;
using MusicSearch.Api.Security;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.Http;

public static class GraphQLEndpoint
{
    public const string Path = "/graphql";

    /// <summary>The schema, its parts and loaders, the executor with the configured limits, and the persisted-query store.</summary>
    public static IServiceCollection AddGraphQLApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphQLHttpOptions>()
            .Bind(configuration.GetSection(GraphQLHttpOptions.Section))
            .Validate(options => !options.Problems().Any(), "GraphQL settings out of range")
            .ValidateOnStart();
        services.AddSingleton<TrackLoaders>();
        services.AddSingleton<CatalogSchema>();
        services.AddSingleton<SimilaritySchema>();
        services.AddSingleton<OperationsSchema>();
        services.AddSingleton<MusicSearchSchema>();
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value;
            return new GraphQLExecutor(new GraphQLExecutorOptions { Limits = settings.Limits, DocumentCacheSize = settings.DocumentCacheSize },
                provider.GetRequiredService<ILogger<GraphQLExecutor>>());
        });
        services.AddSingleton<PersistedQueryStore>();
        services.AddSingleton<PersistedQueries>();
        services.AddSingleton<GraphQLHttpHandler>();
        return services;
    }

    /// <summary>
    /// <c>GET</c> and <c>POST /graphql</c> for reader keys (or anonymous callers where allowed); POST bodies may be
    /// upload-sized only as multipart requests, which need an editor key.
    /// </summary>
    public static IEndpointRouteBuilder MapGraphQL(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], context => context.RequestServices.GetRequiredService<GraphQLHttpHandler>().HandleAsync(context))
            .RequireAuthorization(ApiPolicies.Reader)
            .AllowUploadBody();
        return endpoints;
    }
}
