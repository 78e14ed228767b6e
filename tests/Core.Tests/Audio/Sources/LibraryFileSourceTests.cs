using MusicSearch.Core.Audio;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Tests.Audio.Sources.Support;
using MusicSearch.Core.Tests.Audio.Support;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Audio.Sources;

[Collection(ProcessLeakChecks.Name)]
public sealed class LibraryFileSourceTests(LibraryFileSourceTests.Library library) : IClassFixture<LibraryFileSourceTests.Library>, IDisposable
{
    private const int OutputRate = 24_000;

    private readonly AudioSourceResolver _resolver = new(new AudioSourceOptions { LibraryRoots = [library.Root] });

    /// <summary>
    /// library/ is the configured root; outside/ is its sibling. Inside the root: a tone, symbolic links that stay
    /// inside or escape, and entries that are not audio files.
    /// </summary>
    public sealed class Library : GeneratedAudio
    {
        public const string Spaced = "a name with spaces & ü.flac";

        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Tone("tone.flac", 44100, channels: 2, seconds: 2),
            AudioRecipe.Tone("secret.flac", 44100, seconds: 1, frequency: 440),
            // ffmpeg's MP4 writer puts the index after the audio unless asked otherwise: reading it needs a seek.
            AudioRecipe.Tone("index-last.m4a", 22050, seconds: 4),
        ];

        public string Root => PathOf("library");

        public string InRoot(string relative) => Path.Combine(Root, relative);

        public string Outside(string relative) => Path.Combine(PathOf("outside"), relative);

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Directory.CreateDirectory(InRoot("album"));
            Directory.CreateDirectory(InRoot("folder.flac"));
            Directory.CreateDirectory(Outside(""));
            File.Move(PathOf("tone.flac"), InRoot("tone.flac"));
            File.Move(PathOf("secret.flac"), Outside("secret.flac"));
            File.Move(PathOf("index-last.m4a"), InRoot("index-last.m4a"));
            // A playlist inside the library naming a file outside it: ffmpeg must not follow it.
            await File.WriteAllTextAsync(InRoot("playlist.flac"),
                $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:{Outside("secret.flac")}\n#EXT-X-ENDLIST\n");
            await File.WriteAllTextAsync(InRoot("list.flac"), $"ffconcat version 1.0\nfile '{Outside("secret.flac")}'\n");
            File.Copy(InRoot("tone.flac"), InRoot(Spaced));
            File.CreateSymbolicLink(InRoot("album/inside-link.flac"), "../tone.flac");
            File.CreateSymbolicLink(InRoot("outside-link.flac"), Outside("secret.flac"));
            Directory.CreateSymbolicLink(InRoot("escape"), "../outside");
            Directory.CreateSymbolicLink(PathOf("library-link"), Root);
            await File.WriteAllBytesAsync(InRoot("empty.flac"), []);
            await ExternalTool.RunAsync("mkfifo", [InRoot("fifo.flac")]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_inside_the_root_decodes_to_the_samples_of_decoding_its_path(bool asFileUri)
    {
        var path = library.InRoot("tone.flac");

        var fromSource = await Decoder().DecodeAsync(asFileUri ? new Uri(path).AbsoluteUri : path, OutputRate);

        var direct = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(path, OutputRate);
        Assert.Equal(2 * OutputRate, direct.Samples.Length);
        Assert.Equal(direct.Samples, fromSource.Samples);
    }

    [Fact]
    public async Task A_file_that_needs_seeking_decodes_because_ffmpeg_reads_the_checked_descriptor()
    {
        var path = library.InRoot("index-last.m4a");

        var fromSource = await Decoder().DecodeAsync(path, OutputRate);

        var direct = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(path, OutputRate);
        Assert.Equal(direct.Samples, fromSource.Samples);
        // AAC adds up to one frame of priming and padding.
        Assert.InRange(fromSource.Samples.Length, 4 * OutputRate - 2048, 4 * OutputRate + 2048);
    }

    [Theory]
    [InlineData("playlist.flac")]
    [InlineData("list.flac")]
    public async Task Playlists_and_concat_lists_in_the_library_cannot_reach_files_outside_it(string name)
    {
        var error = await Assert.ThrowsAsync<AudioDecodeException>(() => Decoder().DecodeAsync(library.InRoot(name), OutputRate));

        Assert.Equal(AudioDecodeError.NotAudio, error.Kind);
        // Reported under the file's own name, not the descriptor ffmpeg was given.
        Assert.Equal(library.InRoot(name), error.Path);
        Assert.DoesNotContain("/proc/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_uris_are_percent_decoded_and_may_name_localhost()
    {
        var escaped = new Uri(library.InRoot(Library.Spaced)).AbsoluteUri;
        Assert.Contains("%20", escaped, StringComparison.Ordinal);

        await using var source = await _resolver.OpenAsync(escaped);
        await using var viaLocalhost = await _resolver.OpenAsync(escaped.Replace("file:///", "file://localhost/", StringComparison.Ordinal));

        Assert.Equal(library.InRoot(Library.Spaced), source.Location);
        Assert.Equal(source.Location, viaLocalhost.Location);
        Assert.Equal(new FileInfo(source.Location).Length, source.Length);
    }

    [Theory]
    [InlineData("{root}/../outside/secret.flac")]
    [InlineData("{root}/album/../../outside/secret.flac")]
    [InlineData("file://{root}/../outside/secret.flac")]
    [InlineData("file://{root}/%2e%2e/outside/secret.flac")]
    public async Task Dot_dot_cannot_leave_the_root(string template)
    {
        var address = template.Replace("{root}", library.Root, StringComparison.Ordinal);

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.NotAllowed, () => _resolver.OpenAsync(address));

        Assert.Contains("outside the library roots", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
    }

    [Fact]
    public async Task A_symbolic_link_in_the_root_to_a_file_outside_is_not_allowed()
    {
        var exception = await SourceAssertions.FailsAsync(
            AudioSourceError.NotAllowed, () => _resolver.OpenAsync(library.InRoot("outside-link.flac")));

        Assert.Contains(library.Outside("secret.flac"), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_under_a_symbolically_linked_directory_that_escapes_is_not_allowed()
    {
        await SourceAssertions.FailsAsync(AudioSourceError.NotAllowed, () => _resolver.OpenAsync(library.InRoot("escape/secret.flac")));
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_root_to_a_file_inside_is_allowed_and_reports_the_real_file()
    {
        await using var source = await _resolver.OpenAsync(library.InRoot("album/inside-link.flac"));

        Assert.Equal(library.InRoot("tone.flac"), source.Location);
        Assert.Equal(await File.ReadAllBytesAsync(library.InRoot("tone.flac")), await ReadAllAsync(source.Content));
    }

    [Fact]
    public async Task A_root_configured_through_a_symbolic_link_holds_the_files_of_its_target()
    {
        using var resolver = new AudioSourceResolver(new AudioSourceOptions { LibraryRoots = [library.PathOf("library-link")] });

        await using var viaLink = await resolver.OpenAsync(library.PathOf("library-link/tone.flac"));
        await using var direct = await resolver.OpenAsync(library.InRoot("tone.flac"));

        Assert.Equal(library.InRoot("tone.flac"), viaLink.Location);
        Assert.Equal(viaLink.Location, direct.Location);
    }

    [Theory]
    [InlineData("missing.flac")]
    [InlineData("missing-folder/tone.flac")]
    [InlineData("tone.flac/inside-a-file.flac")]
    [InlineData("folder.flac")]
    public async Task A_missing_file_or_a_directory_is_not_found(string relative)
    {
        var exception = await SourceAssertions.FailsAsync(AudioSourceError.NotFound, () => _resolver.OpenAsync(library.InRoot(relative)));

        Assert.False(exception.IsTransient);
    }

    [Theory]
    [InlineData("empty.flac")]
    [InlineData("fifo.flac")] // Opened non-blocking: no writer ever comes, yet this must not hang.
    public async Task An_empty_file_or_a_fifo_is_empty(string name)
    {
        await SourceAssertions.FailsAsync(AudioSourceError.Empty, () => _resolver.OpenAsync(library.InRoot(name)));
    }

    [Fact]
    public async Task A_file_larger_than_the_limit_is_refused_before_reading()
    {
        using var resolver = new AudioSourceResolver(new AudioSourceOptions { LibraryRoots = [library.Root], MaxBytes = 1000 });

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.TooLarge, () => resolver.OpenAsync(library.InRoot("tone.flac")));

        Assert.Contains("more than the 1000 allowed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_library_roots_every_file_is_refused()
    {
        using var resolver = new AudioSourceResolver(new AudioSourceOptions());

        await SourceAssertions.FailsAsync(AudioSourceError.NotAllowed, () => resolver.OpenAsync(library.InRoot("tone.flac")));
    }

    [Theory]
    [InlineData("relative/music")]
    [InlineData("/nonexistent/music")]
    [InlineData("{root}/tone.flac")]
    public void A_root_that_is_not_an_existing_absolute_directory_is_a_configuration_error(string root)
    {
        var options = new AudioSourceOptions { LibraryRoots = [root.Replace("{root}", library.Root, StringComparison.Ordinal)] };

        var exception = Assert.Throws<ArgumentException>(() => new AudioSourceResolver(options));

        Assert.Contains("library root", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _resolver.Dispose();

    private AudioSourceDecoder Decoder() => new(_resolver, new AudioDecoder(new AudioDecoderOptions()));

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }
}
