using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Similarity;

/// <summary>A real embedded store in a temporary folder with one active collection, filled with vectors a test designs.</summary>
public sealed class SyntheticStore : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory;
    private long _version;

    private SyntheticStore(TemporaryDirectory directory, EmbeddedTrackCollections collections, ITrackStore store)
    {
        _directory = directory;
        Collections = collections;
        Store = store;
    }

    public EmbeddedTrackCollections Collections { get; }

    public ITrackStore Store { get; }

    public ActiveStore Active => new(Collections);

    public static async Task<SyntheticStore> CreateAsync(int dimensions)
    {
        var directory = new TemporaryDirectory();
        var collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = directory.Path });
        var store = await collections.OpenAsync("synthetic", dimensions);
        await collections.ActivateAsync("synthetic");
        return new SyntheticStore(directory, collections, store);
    }

    /// <summary>Stores a track whose track vector is <paramref name="vector"/>, with the given windows (30 s apart) or one window equal to it.</summary>
    public async Task<Track> AddAsync(string id, float[] vector, string? artist = null, string? album = null, string? genre = null, float[][]? windows = null)
    {
        var track = new Track { Id = new TrackId(id), Title = id, Artist = artist, Album = album, Genre = genre, AudioUri = $"file:///music/{id}.flac" };
        var windowVectors = (windows ?? [vector]).Select((window, i) => new WindowVector(i * 30, 30, window)).ToArray();
        await Store.UpsertAsync([new TrackPoint(track, new TrackVectors(vector, windowVectors), Interlocked.Increment(ref _version))]);
        return track;
    }

    /// <summary>A unit vector at <paramref name="degrees"/> in the plane of the first two axes.</summary>
    public static float[] Angle(double degrees, int dimensions)
    {
        var vector = new float[dimensions];
        vector[0] = (float)Math.Cos(degrees * Math.PI / 180);
        vector[1] = (float)Math.Sin(degrees * Math.PI / 180);
        return vector;
    }

    public async ValueTask DisposeAsync()
    {
        await Collections.DisposeAsync();
        _directory.Dispose();
    }
}
