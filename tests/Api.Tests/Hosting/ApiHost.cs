using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MusicSearch.Api.Operations;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Inference.Embedding;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Hosting;

/// <summary>
/// The Api as <c>Program</c> builds it, on real Kestrel (a free loopback port), with an embedded store in its own temporary
/// folder, the fixture's tiny model package, the fixture's audio folder as library root, one key per role, and a log
/// capture. Settings can be overridden per test.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string ReaderKey = "reader-key-0123456789abcdef";
    public const string EditorKey = "editor-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdefgh";
    public const string PreviewSecret = "preview-secret-for-tests-0123456789abcdef";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly TemporaryDirectory _directory;

    private ApiHost(WebApplicationFactory<Program> factory, TemporaryDirectory directory, CapturedLogs logs)
    {
        _factory = factory;
        _directory = directory;
        Logs = logs;
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public CapturedLogs Logs { get; }

    public string LibraryRoot { get; private init; } = "";

    /// <param name="fixture">The model package and audio files.</param>
    /// <param name="overrides">Settings that replace the defaults (a null value removes one).</param>
    public static ApiHost Start(PipelineFixture fixture, IDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var directory = new TemporaryDirectory();
        var libraryRoot = Path.GetDirectoryName(fixture.AudioFiles[0])!;
        var settings = new Dictionary<string, string?>
        {
            ["Store:Directory"] = directory.File("store"),
            ["Model:Package"] = fixture.PackageA,
            ["Audio:Sources:LibraryRoots:0"] = libraryRoot,
            ["Urls"] = "http://127.0.0.1:0",
            ["Bus:Transport"] = "InMemory",
            // A batch cut short by the host stopping is retried: quickly, so that stopping a test host stays quick.
            ["Bus:Retry:MinInterval"] = "00:00:00.050",
            ["Bus:Retry:MaxInterval"] = "00:00:00.200",
            ["Bus:Retry:IntervalDelta"] = "00:00:00.050",
            ["Indexer:BatchTimeLimit"] = "00:00:00.200",
            ["Indexer:DecodeParallelism"] = "2",
            ["Indexer:ReindexCheckInterval"] = "00:00:00.200",
            ["Auth:AllowAnonymousRead"] = "false",
            ["Auth:Keys:0:Name"] = "app",
            ["Auth:Keys:0:Key"] = ReaderKey,
            ["Auth:Keys:0:Role"] = "reader",
            ["Auth:Keys:1:Name"] = "editor-ui",
            ["Auth:Keys:1:KeySha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(EditorKey))),
            ["Auth:Keys:1:Role"] = "editor",
            ["Auth:Keys:2:Name"] = "operator",
            ["Auth:Keys:2:Key"] = AdminKey,
            ["Auth:Keys:2:Role"] = "admin",
            ["Previews:Secret"] = PreviewSecret,
            ["Throughput:SampleInterval"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var logs = new CapturedLogs();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            // Not Development: appsettings.Development.json (a demo key, anonymous reads) stays out of the tests.
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        try
        {
            factory.UseKestrel(0);
            factory.StartServer();
            return new ApiHost(factory, directory, logs) { LibraryRoot = libraryRoot };
        }
        catch
        {
            factory.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>A request to this host with a key (null: none).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? key = ReaderKey) => Client.SendAsync(Request(HttpMethod.Get, path, key));

    /// <summary>The active collection for the host's model, created and activated if needed.</summary>
    public async Task<ITrackStore> ModelCollectionAsync()
    {
        var collections = Services.GetRequiredService<ITrackCollections>();
        var embedder = Services.GetRequiredService<AudioEmbedder>();
        var store = await collections.OpenAsync(embedder.ModelVersion, embedder.Dimensions);
        await collections.ActivateAsync(embedder.ModelVersion);
        return store;
    }

    /// <summary>
    /// Stores tracks with seeded random unit vectors (and two windows each) in the active collection: what a search needs,
    /// without spending embedding time. <paramref name="audio"/> gives each track's audio file, cycling.
    /// </summary>
    public async Task<Track[]> SeedAsync(int count, IReadOnlyList<string> audio, string prefix = "t")
    {
        var store = await ModelCollectionAsync();
        var random = new Random(17);
        var tracks = Enumerable.Range(0, count).Select(i => new Track
        {
            Id = new TrackId($"{prefix}{i:000}"),
            Title = $"Song {i}",
            Artist = $"Artist {i % 4}",
            Album = $"Album {i % 6}",
            Genre = i % 2 == 0 ? "ambient" : "rock",
            AudioUri = new Uri(audio[i % audio.Count]).AbsoluteUri,
        }).ToArray();
        var dimensions = store.Info.Dimensions;
        await store.UpsertAsync([.. tracks.Select(track => new TrackPoint(track, new TrackVectors(Unit(random, dimensions),
            [new WindowVector(0, 30, Unit(random, dimensions)), new WindowVector(30, 30, Unit(random, dimensions))]), 1))]);
        return tracks;
    }

    /// <summary>Indexes audio files through the Api's own embedded pipeline and waits until each is indexed or failed.</summary>
    public async Task<Track[]> IndexAsync(IReadOnlyList<string> files, string prefix)
    {
        var tracks = files.Select(file => PipelineFixture.TrackFor(file, prefix)).ToArray();
        var result = await Services.GetRequiredService<CatalogEditor>().EnqueueTracksAsync(tracks, CancellationToken.None);
        Assert.Equal(tracks.Length, result.Enqueued);
        var collections = Services.GetRequiredService<ITrackCollections>();
        await Eventually.HoldsAsync(async () =>
        {
            if (await collections.GetActiveAsync() is not { } active)
            {
                return false;
            }
            foreach (var track in tracks)
            {
                if (await active.GetAsync(track.Id) is not { State.Status: not TrackStatus.Pending })
                {
                    return false;
                }
            }
            return true;
        }, "every enqueued track indexed or failed", seconds: 60);
        return tracks;
    }

    private static float[] Unit(Random random, int dimensions)
    {
        var vector = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        _directory.Dispose();
    }
}
