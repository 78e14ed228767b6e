using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;
using MusicSearch.Indexing.Catalog;
using MusicSearch.Testing;

namespace MusicSearch.Indexing.Tests.Catalog;

public sealed class FolderScannerTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ListsAudioFilesRecursivelyWithTagsAndPathIds()
    {
        Directory.CreateDirectory(_directory.File("album one"));
        Directory.CreateDirectory(_directory.File(".hidden"));
        await ToneAsync("album one/01 tagged.ogg", "-metadata", "title=First Song", "-metadata", "artist=Someone", "-metadata", "album=Album One",
            "-metadata", "genre=Ambient", "-metadata", "date=2003-05-01");
        await ToneAsync("untagged.flac");
        await ToneAsync(".hidden/skipped.flac");
        await File.WriteAllTextAsync(_directory.File("cover.jpg"), "not audio, skipped by extension");
        await File.WriteAllTextAsync(_directory.File("broken.mp3"), "not audio, reported");

        var scanner = new FolderScanner(new AudioMetadataReader(new AudioDecoderOptions()));
        var listing = await scanner.ScanAsync(_directory.Path);

        Assert.Equal([new TrackId("album one/01 tagged.ogg"), new TrackId("untagged.flac")], listing.Tracks.Select(track => track.Id));
        var tagged = listing.Tracks[0];
        Assert.Equal(("First Song", "Someone", "Album One", "Ambient", 2003), (tagged.Title, tagged.Artist, tagged.Album, tagged.Genre, tagged.Year));
        Assert.Equal(1.5, tagged.DurationSeconds!.Value, 2);
        Assert.Equal(new Uri(_directory.File("album one/01 tagged.ogg")).AbsoluteUri, tagged.AudioUri);
        var untagged = listing.Tracks[1];
        Assert.Equal(("untagged", null, null), (untagged.Title, untagged.Artist, untagged.Year));
        var problem = Assert.Single(listing.Problems);
        Assert.Equal("broken.mp3", problem.Location);
    }

    [Fact]
    public async Task AMissingFolderIsAClearError()
    {
        var scanner = new FolderScanner(new AudioMetadataReader(new AudioDecoderOptions()));

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => scanner.ScanAsync(_directory.File("nope")));

        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    private Task<string> ToneAsync(string name, params string[] metadata) =>
        ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=24000:duration=1.5", .. metadata, _directory.File(name)]);
}
