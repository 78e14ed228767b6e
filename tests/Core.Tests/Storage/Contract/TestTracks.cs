using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

/// <summary>Tracks, vectors and a double-precision brute-force ranking that the contract tests compare stores with.</summary>
public static class TestTracks
{
    private static readonly string?[] Artists = ["Nina Simone", "nina simone", "Miles Davis", "Björk", "Aphex Twin", null, "Portishead", "MILES DAVIS"];
    private static readonly string?[] Albums = ["Pastel Blues", "Kind of Blue", "Homogenic", null, "Dummy", "Selected Ambient Works"];
    private static readonly string?[] Genres = ["jazz", "Electronic", "trip-hop", null, "JAZZ"];
    private static readonly string[] TagPool = ["calm", "Energetic", "piano", "vocal", "instrumental", "dark"];

    public static TrackId Id(string value) => new(value);

    public static Track Track(string id, string? artist = null, string? album = null, string title = "Untitled", string? genre = null,
        int? year = null, double? bpm = null, params string[] tags) => new()
        {
            Id = new TrackId(id),
            Title = title,
            Artist = artist,
            Album = album,
            Genre = genre,
            Year = year,
            Bpm = bpm,
            Tags = tags,
            DurationSeconds = 240,
            AudioUri = $"file:///library/{id}.flac",
        };

    /// <summary>A track whose every field is drawn from small pools (unknown values and letter case included).</summary>
    public static Track RandomTrack(Random random, string id)
    {
        var tags = TagPool.Where(_ => random.Next(3) == 0).ToArray();
        return Track(id, Artists[random.Next(Artists.Length)], Albums[random.Next(Albums.Length)], $"Song {id}",
            Genres[random.Next(Genres.Length)], random.Next(4) == 0 ? null : 1960 + random.Next(60),
            random.Next(4) == 0 ? null : 60 + random.Next(120), tags);
    }

    /// <summary>A random direction, L2-normalised like every embedding.</summary>
    public static float[] UnitVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            // Box-Muller: Gaussian components give directions uniform on the sphere.
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return Normalised(vector);
    }

    public static float[] Normalised(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        return [.. vector.Select(x => (float)(x / norm))];
    }

    /// <summary>Vectors of a track: <paramref name="windows"/> random windows of 30 s and their normalised mean.</summary>
    public static TrackVectors Vectors(Random random, int dimensions, int windows = 2)
    {
        var spans = Enumerable.Range(0, windows).Select(i => new WindowVector(i * 30, 30, UnitVector(random, dimensions))).ToList();
        var mean = new float[dimensions];
        foreach (var window in spans)
        {
            for (var d = 0; d < dimensions; d++)
            {
                mean[d] += window.Vector[d];
            }
        }
        return new TrackVectors(windows == 0 ? UnitVector(random, dimensions) : Normalised(mean), spans);
    }

    public static TrackPoint Point(Track track, TrackVectors vectors, long version = 1) => new(track, vectors, version);

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>Every admitted point by descending cosine with <paramref name="query"/>.</summary>
    public static List<(Track Track, double Score)> Ranking(IEnumerable<TrackPoint> points, float[] query, Func<Track, bool>? admit = null) =>
        [.. points.Where(p => admit?.Invoke(p.Track) ?? true)
            .Select(p => (p.Track, Score: Cosine(p.Vectors.Vector, query)))
            .OrderByDescending(p => p.Score)];

    public static void SameTrack(Track expected, Track actual)
    {
        Assert.Equal(expected with { Tags = [] }, actual with { Tags = [] });
        Assert.Equal(expected.Tags, actual.Tags);
    }

    public static void SameVector(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f);
        }
    }

    /// <summary>The ids and scores of a search equal those of a reference ranking (scores within float rounding).</summary>
    public static void SameRanking(IReadOnlyList<(Track Track, double Score)> expected, IReadOnlyList<SimilarTrack> actual)
    {
        Assert.Equal(expected.Select(e => e.Track.Id), actual.Select(a => a.Track.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
        }
    }
}
