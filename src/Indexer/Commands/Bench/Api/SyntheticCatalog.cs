using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;

namespace MusicSearch.Indexer.Commands.Bench.Api;

/// <summary>
/// A catalog of seeded random unit vectors written straight into an embedded store (no audio, no model): tracks
/// <c>b000000</c>… with payloads spread over artists, albums, genres and years, one window each. A store that already
/// holds exactly this catalog is reused.
/// </summary>
internal static class SyntheticCatalog
{
    public const string ModelVersion = "bench-synthetic";
    private const int Batch = 1000;
    private static readonly string[] Genres = ["ambient", "rock", "jazz", "folk", "electronic", "classical", "pop", "metal", "soul", "chiptune"];

    public static string IdOf(int index) => $"b{index:D6}";

    /// <returns>Whether the store had to be written.</returns>
    public static async Task<bool> EnsureAsync(string directory, int tracks, int dimensions, Action<int> progress, CancellationToken cancellationToken)
    {
        var collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = directory });
        await using (collections.ConfigureAwait(false))
        {
            var version = $"{ModelVersion}-{dimensions}";
            var store = await collections.OpenAsync(version, dimensions, cancellationToken).ConfigureAwait(false);
            await collections.ActivateAsync(version, cancellationToken).ConfigureAwait(false);
            var counts = await store.CountAsync(cancellationToken).ConfigureAwait(false);
            if (counts.Indexed == tracks && counts.Total == tracks)
            {
                return false;
            }
            if (counts.Total > 0)
            {
                throw new ArgumentException($"the store at {directory} holds {counts.Total} tracks, not the {tracks} asked for: give an empty or new --store");
            }
            var random = new Random(1);
            for (var start = 0; start < tracks; start += Batch)
            {
                var points = Enumerable.Range(start, Math.Min(Batch, tracks - start))
                    .Select(i => new TrackPoint(TrackAt(i), new TrackVectors(Unit(random, dimensions), [new WindowVector(0, 30, Unit(random, dimensions))]), 1))
                    .ToArray();
                await store.UpsertAsync(points, cancellationToken).ConfigureAwait(false);
                progress(start + points.Length);
            }
            return true;
        }
    }

    private static Track TrackAt(int i) => new()
    {
        Id = new TrackId(IdOf(i)),
        Title = $"Synthetic {i}",
        Artist = $"Artist {i % 5000}",
        Album = $"Album {i % 20000}",
        Genre = Genres[i % Genres.Length],
        Year = 1960 + i % 60,
        AudioUri = $"file:///synthetic/{IdOf(i)}.mp3",
    };

    private static float[] Unit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        double norm = 0;
        for (var d = 0; d < dimensions; d++)
        {
            vector[d] = (float)(random.NextDouble() * 2 - 1);
            norm += vector[d] * vector[d];
        }
        var scale = (float)(1 / Math.Sqrt(norm));
        for (var d = 0; d < dimensions; d++)
        {
            vector[d] *= scale;
        }
        return vector;
    }
}
