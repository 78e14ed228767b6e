using MusicSearch.Api.Endpoints;
using MusicSearch.Api.Errors;
using MusicSearch.Api.GraphQL.Developer;
using MusicSearch.Api.GraphQL.Http;
using MusicSearch.Api.Limits;
using MusicSearch.Api.Operations;
using MusicSearch.Api.Previews;
using MusicSearch.Api.Security;
using MusicSearch.Api.Similarity;
using MusicSearch.Api.Store;
using MusicSearch.Indexing.Hosting;

namespace MusicSearch.Api.Hosting;

/// <summary>The Api's composition root: every concern's registration, and the request pipeline in its order.</summary>
public static class ApiApplication
{
    public static WebApplicationBuilder AddMusicSearchApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole();
        builder.AddApiRequestLimits();
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddApiHealth(configuration);
        services.AddApiIndexing(configuration);
        services.AddApiSecurity(configuration);
        services.AddApiRateLimiting(configuration);
        services.AddPrometheusExporter();
        services.AddAudioPreviews(configuration);
        services.AddSimilarityServices(configuration);
        services.AddOperations(configuration);
        services.AddGraphQLApi(configuration);
        return builder;
    }

    public static WebApplication UseMusicSearchApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Bad key configuration stops the start with every problem listed, rather than failing the first request.
        _ = app.Services.GetRequiredService<ApiKeyRing>();
        app.UseExceptionHandler();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseRequestBodyLimits();
        app.UseAuthorization();
        app.MapApiHealth();
        app.MapPrometheusMetrics();
        app.MapAudioPreviews();
        app.MapSimilarEndpoints();
        app.MapGraphQL();
        app.MapGraphQLExplorer();
        return app;
    }

    public static IServiceCollection AddSimilarityServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ActiveStore>();
        services.AddSingleton<SimilarTracks>();
        services.AddSingleton<SimilarityExplainer>();
        services.AddSingleton<PlaylistPath>();
        services.AddOptions<DuplicateOptions>().Bind(configuration.GetSection(DuplicateOptions.Section));
        services.AddSingleton<DuplicateFinder>();
        services.AddSingleton<CatalogMap>();
        services.AddSingleton<AudioQuery>();
        return services;
    }

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThroughputOptions>().Bind(configuration.GetSection(ThroughputOptions.Section));
        services.AddSingleton<ThroughputSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<ThroughputSampler>());
        services.AddSingleton<IndexingStatus>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<CatalogEditor>();
        return services;
    }
}
