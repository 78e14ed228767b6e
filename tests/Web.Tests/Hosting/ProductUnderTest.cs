extern alias api;

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Testing;
using MusicSearch.Web.Security;
using ApiProgram = api::Program;
using CatalogEditor = api::MusicSearch.Api.Operations.CatalogEditor;

namespace MusicSearch.Web.Tests.Hosting;

/// <summary>
/// The whole product on real ports: the Api (embedded store, tiny model package, in-memory bus) with a small generated
/// catalog indexed by its own pipeline, and the editor UI talking to it over GraphQL with an editor key. The catalog has
/// metadata to search and filter by, a re-upload of one track (a duplicate) and a file that is not audio (a failure).
/// </summary>
public sealed class ProductUnderTest : IAsyncLifetime, IDisposable
{
    public const string EditorUser = "editor";
    public const string EditorPassword = "correct horse battery staple";
    public const string ApiKey = "web-editor-key-0123456789abcdef";

    /// <summary>The UI refuses clips above this many bytes (the big test file is over it, real clips far under).</summary>
    public const long MaxUploadBytes = 1_000_000;

    private readonly PipelineFixture _assets = new();
    private readonly TemporaryDirectory _directory = new();
    private WebApplicationFactory<ApiProgram>? _api;
    private WebApplicationFactory<Program>? _web;

    public Uri WebAddress { get; private set; } = null!;

    public Uri ApiAddress { get; private set; } = null!;

    public IReadOnlyList<Track> Catalog { get; private set; } = [];

    /// <summary>A 4 s MP3 excerpt of the chord track, to query by audio.</summary>
    public string ChordClip => _directory.File("chord-excerpt.mp3");

    public string TextFile => _directory.File("notes.txt");

    public string BigFile => _directory.File("big.wav");

    /// <summary>A whole 8 s track: longer than the Api's upload limit here (6 s).</summary>
    public string LongClip => _assets.AudioFiles[0];

    public Track Track(string id) => Catalog.Single(track => track.Id.Value == id);

    /// <summary>65 s chirps, rising and falling: three analysis windows each (30 + 30 + 5 s), so their comparison is a 3 × 3 heatmap.</summary>
    private string RisingDrone => _directory.File("rising.flac");

    private string FallingDrone => _directory.File("falling.flac");

    public async Task InitializeAsync()
    {
        await _assets.InitializeAsync();
        await ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-ss", "2", "-t", "4", "-i", Audio("chord.flac"), "-c:a", "libmp3lame", ChordClip]);
        await File.WriteAllTextAsync(TextFile, "these are not the sounds you are looking for\n");
        await File.WriteAllBytesAsync(BigFile, new byte[MaxUploadBytes + 200_000]);
        await Task.WhenAll(
            ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*(150+4*t)*t):s=24000:d=65", RisingDrone]),
            ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*(700-4*t)*t):s=24000:d=65", FallingDrone]));

        _api = StartApi(_directory.File("store"));
        ApiAddress = AddressOf(_api.Services);
        Catalog = await IndexCatalogAsync(_api.Services);
        _web = StartWeb(ApiAddress);
        WebAddress = AddressOf(_web.Services);
    }

    /// <summary>Another UI on the same Api (or none), with settings changed; the caller disposes it.</summary>
    public static WebApplicationFactory<Program> StartWeb(Uri apiAddress, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Web:ApiBaseUrl"] = apiAddress.ToString(),
            ["Web:ApiKey"] = ApiKey,
            ["Web:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Web:Editors:0:User"] = EditorUser,
            // Few iterations keep sign-ins quick in tests; the format carries the count, production hashes use the default.
            ["Web:Editors:0:PasswordHash"] = PasswordHash.Create(EditorPassword, iterations: 1000),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    public static Uri AddressOf(IServiceProvider services) =>
        new(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    /// <summary>Another Api with the same model and library but an empty store of its own; the caller disposes it.</summary>
    public WebApplicationFactory<ApiProgram> StartEmptyApi() => StartApi(_directory.File($"store-{Guid.NewGuid():N}"));

    private WebApplicationFactory<ApiProgram> StartApi(string store)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Store:Directory"] = store,
            ["Model:Package"] = _assets.PackageA,
            ["Audio:Sources:LibraryRoots:0"] = Path.GetDirectoryName(_assets.AudioFiles[0]),
            ["Audio:Sources:LibraryRoots:1"] = _directory.Path,
            ["Bus:Transport"] = "InMemory",
            ["Indexer:BatchTimeLimit"] = "00:00:00.200",
            ["Indexer:DecodeParallelism"] = "2",
            ["Bus:Retry:MinInterval"] = "00:00:00.050",
            ["Bus:Retry:MaxInterval"] = "00:00:00.200",
            ["Bus:Retry:IntervalDelta"] = "00:00:00.050",
            ["Auth:AllowAnonymousRead"] = "false",
            ["Auth:Keys:0:Name"] = "editor-ui",
            ["Auth:Keys:0:KeySha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Auth:Keys:0:Role"] = "editor",
            ["Previews:Secret"] = "preview-secret-for-web-tests-0123456789abcdef",
            ["Upload:MaxSeconds"] = "6",
            ["Throughput:SampleInterval"] = "00:00:00.100",
        };
        var factory = new WebApplicationFactory<ApiProgram>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    private async Task<Track[]> IndexCatalogAsync(IServiceProvider services)
    {
        Track Entry(string id, string file, string title, string artist, string album, string genre, int year) => new()
        {
            Id = new TrackId(id),
            Title = title,
            Artist = artist,
            Album = album,
            Genre = genre,
            Year = year,
            AudioUri = new Uri(file).AbsoluteUri,
        };
        Track[] catalog =
        [
            Entry("low-tone", Audio("low-tone.flac"), "Low Tone", "Sine Ensemble", "Pure Tones", "ambient", 2019),
            Entry("high-tone", Audio("high-tone.wav"), "High Tone", "Sine Ensemble", "Pure Tones", "ambient", 2020),
            Entry("high-tone-again", Audio("high-tone.wav"), "High Tone (re-upload)", "Sine Ensemble", "Pure Tones", "ambient", 2020),
            Entry("chord", Audio("chord.flac"), "C Major Chord", "Harmony Lab", "Chords", "classical", 2018),
            Entry("square", Audio("square.wav"), "Square Wave", "Chip Tunes", "8-bit", "electronic", 2017),
            Entry("beeps", Audio("beeps.flac"), "Beeps", "Chip Tunes", "8-bit", "electronic", 2017),
            Entry("pink-noise", Audio("pink-noise.flac"), "Pink Noise", "Noise Collective", "Colours", "noise", 2021),
            Entry("brown-noise", Audio("brown-noise.mp3"), "Brown Noise", "Noise Collective", "Colours", "noise", 2021),
            Entry("white-noise", Audio("white-noise.wav"), "White Noise", "Noise Collective", "Colours", "noise", 2022),
            Entry("rising-drone", RisingDrone, "Rising Drone", "Slow Motion", "Drones", "drone", 2024),
            Entry("falling-drone", FallingDrone, "Falling Drone", "Slow Motion", "Drones", "drone", 2024),
            Entry("broken-upload", _assets.GarbageFile, "Broken Upload", "Unknown", "Inbox", "unknown", 2023),
        ];
        await services.GetRequiredService<CatalogEditor>().EnqueueTracksAsync(catalog, CancellationToken.None);
        var collections = services.GetRequiredService<ITrackCollections>();
        await Eventually.HoldsAsync(async () =>
        {
            if (await collections.GetActiveAsync() is not { } active)
            {
                return false;
            }
            foreach (var track in catalog)
            {
                if (await active.GetAsync(track.Id) is not { State.Status: not TrackStatus.Pending })
                {
                    return false;
                }
            }
            return true;
        }, "the test catalog indexed", seconds: 120);
        return catalog;
    }

    private string Audio(string name) => _assets.AudioFiles.Single(file => file.EndsWith(name, StringComparison.Ordinal));

    public async Task DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _assets.Dispose();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ProductGroup : ICollectionFixture<ProductUnderTest>
{
    public const string Name = "product";
}
