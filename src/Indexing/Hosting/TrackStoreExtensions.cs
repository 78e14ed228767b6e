using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;

namespace MusicSearch.Indexing.Hosting;

public static class TrackStoreExtensions
{
    /// <summary>Configuration key of the embedded store's folder.</summary>
    public const string StoreDirectoryKey = "Store:Directory";

    /// <summary>
    /// The embedded track store in <c>Store:Directory</c> (a relative path is taken from the working directory), opened
    /// once per process when first asked for (the host's start, through its consumers and checks) and closed with the host.
    /// Resolving it throws <see cref="ArgumentException"/> when <c>Store:Directory</c> is not set.
    /// </summary>
    public static IServiceCollection AddEmbeddedTrackStore(this IServiceCollection services)
    {
        services.AddSingleton<ITrackCollections>(provider =>
        {
            var directory = provider.GetRequiredService<IConfiguration>()[StoreDirectoryKey];
            if (string.IsNullOrWhiteSpace(directory))
            {
                throw new ArgumentException($"{StoreDirectoryKey} must name the embedded store's folder");
            }
            return new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = Path.GetFullPath(directory) });
        });
        return services;
    }
}
