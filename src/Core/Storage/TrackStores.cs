using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Storage.Qdrant;

namespace MusicSearch.Core.Storage;

/// <summary>Which implementation holds the track store.</summary>
public enum TrackStoreKind
{
    /// <summary>SQLite files and in-memory search in one process (<c>Store:Directory</c>).</summary>
    Embedded,

    /// <summary>A Qdrant server or cluster (<c>Store:Qdrant:Url</c>, …).</summary>
    Qdrant,
}

/// <summary>
/// The track store chosen by configuration alone (ARCHITECTURE.md §3), from section <c>Store</c>:
/// <list type="bullet">
/// <item><c>Store:Kind</c>: <c>Embedded</c> (default) or <c>Qdrant</c>;</item>
/// <item>embedded: <c>Store:Directory</c>, <c>Store:SearchThreads</c>, <c>Store:QuantizedOversampling</c>
/// (<see cref="EmbeddedStoreOptions"/>);</item>
/// <item>Qdrant: <c>Store:Qdrant:Url</c>, <c>ApiKey</c>, <c>Timeout</c>, <c>MaxRetries</c>, <c>Quantization</c>,
/// <c>Rescore</c>, <c>Oversampling</c>, <c>ShardNumber</c>, <c>ReplicationFactor</c>, … (<see cref="QdrantStoreOptions"/>).</item>
/// </list>
/// As environment variables: <c>Store__Kind=Qdrant</c>, <c>Store__Qdrant__Url=http://qdrant:6333</c>.
/// </summary>
public static class TrackStores
{
    public const string SectionName = "Store";

    /// <summary>Configuration key of the embedded store's folder (a relative path is taken from the working directory).</summary>
    public const string DirectoryKey = "Store:Directory";

    /// <summary>
    /// Registers <see cref="ITrackCollections"/> as configured, opened once per process when first resolved (a host's
    /// start, through its consumers and checks) and disposed with the container. The section is read then, so sources a
    /// host adds after this call still count; resolving throws <see cref="ArgumentException"/> naming the setting when
    /// the section is invalid.
    /// </summary>
    public static IServiceCollection AddTrackStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(provider => Open(configuration.GetSection(SectionName), provider.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>Opens the store that a <c>Store</c> section describes (for tools without a service provider).</summary>
    /// <exception cref="ArgumentException">The section is invalid; the message names the setting.</exception>
    public static ITrackCollections Open(IConfiguration storeSection, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(storeSection);
        return Opener(storeSection)(loggers);
    }

    internal static TrackStoreKind Kind(IConfiguration store)
    {
        var value = store["Kind"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return TrackStoreKind.Embedded;
        }
        return Enum.TryParse<TrackStoreKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(value.Trim()[0])
            ? kind
            : throw new ArgumentException($"{SectionName}:Kind must be Embedded or Qdrant, got '{value}'");
    }

    internal static EmbeddedStoreOptions EmbeddedOptions(IConfiguration store)
    {
        var options = Bind(store, new EmbeddedStoreOptions(), SectionName);
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new ArgumentException($"{DirectoryKey} must name the embedded store's folder");
        }
        options.Validate();
        return options;
    }

    internal static QdrantStoreOptions QdrantOptions(IConfiguration store)
    {
        var options = Bind(store.GetSection("Qdrant"), new QdrantStoreOptions(), $"{SectionName}:Qdrant");
        options.Validate();
        return options;
    }

    /// <summary>Validates the section; the returned function opens the store.</summary>
    private static Func<ILoggerFactory?, ITrackCollections> Opener(IConfiguration store)
    {
        switch (Kind(store))
        {
            case TrackStoreKind.Qdrant:
                var qdrant = QdrantOptions(store);
                return loggers => new QdrantTrackCollections(qdrant, handler: null, loggers?.CreateLogger<QdrantTrackCollections>());
            default:
                var embedded = EmbeddedOptions(store);
                return _ => new EmbeddedTrackCollections(embedded);
        }
    }

    private static T Bind<T>(IConfiguration section, T options, string path)
    {
        try
        {
            section.Bind(options);
            return options;
        }
        catch (InvalidOperationException exception)
        {
            // The binder names the value it could not convert; say which section it was in.
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{path}: {exception.Message}"), exception);
        }
    }
}
