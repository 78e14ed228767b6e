using MusicSearch.Core.Catalog;
using MusicSearch.Indexing.Catalog;
using MusicSearch.Testing;

namespace MusicSearch.Indexing.Tests.Catalog;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ReadsTheFetchScriptsFormatWithPathsRelativeToTheManifest()
    {
        var manifest = Write(""""
            id,path,title,artist,album,genre,license,duration_s,format
            gm0031,bomberclone-data/music/a.xm,Bomberclone,"cerror (Roel Heerspink)",BomberClone,,GPL-2,86.24,module/xm
            gm0032,"sub dir/b, c.ogg","Title with ""quotes""",,Album,Chiptune,CC-BY,12.5,ogg
            """");

        var listing = ManifestReader.Read(manifest);

        Assert.Empty(listing.Problems);
        Assert.Equal(2, listing.Tracks.Count);
        var first = listing.Tracks[0];
        Assert.Equal(new TrackId("gm0031"), first.Id);
        Assert.Equal("cerror (Roel Heerspink)", first.Artist);
        Assert.Null(first.Genre);
        Assert.Equal(86.24, first.DurationSeconds);
        Assert.Equal(new Uri(Path.Combine(_directory.Path, "bomberclone-data/music/a.xm")).AbsoluteUri, first.AudioUri);
        var second = listing.Tracks[1];
        Assert.Equal("Title with \"quotes\"", second.Title);
        Assert.Null(second.Artist);
        Assert.EndsWith("sub%20dir/b,%20c.ogg", second.AudioUri, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalColumnsBecomeTypedFieldsAndIdsDefaultToThePath()
    {
        var manifest = Write("""
            uri,path,year,bpm,tags,title
            ,x/y.flac,1998-04-02,128.5,calm; Piano |calm,
            https://cdn.example.com/t.mp3,,2001,,,Remote
            """);

        var listing = ManifestReader.Read(manifest);

        Assert.Empty(listing.Problems);
        var local = listing.Tracks[0];
        Assert.Equal(new TrackId("x/y.flac"), local.Id);
        Assert.Equal("y", local.Title);
        Assert.Equal(1998, local.Year);
        Assert.Equal(128.5, local.Bpm);
        Assert.Equal(["calm", "Piano"], local.Tags);
        Assert.Equal(new TrackId("https://cdn.example.com/t.mp3"), listing.Tracks[1].Id);
        Assert.Equal("https://cdn.example.com/t.mp3", listing.Tracks[1].AudioUri);
    }

    [Fact]
    public void BadRowsAreReportedWithTheirRowAndTheRestIsRead()
    {
        var manifest = Write("""
            id,path,year,bpm
            a,a.ogg,199x,
            b,b.ogg,,fast
            c,,,
            d,d.ogg,,-3
            e,e.ogg,,
            e,e2.ogg,,
            """);

        var listing = ManifestReader.Read(manifest);

        Assert.Equal([new TrackId("e")], listing.Tracks.Select(track => track.Id));
        Assert.Collection(listing.Problems,
            problem => Assert.Contains("row 1: year '199x'", $"{problem.Location}: {problem.Reason}", StringComparison.Ordinal),
            problem => Assert.Contains("bpm 'fast' is not a number", problem.Reason, StringComparison.Ordinal),
            problem => Assert.Contains("neither a path nor a uri", problem.Reason, StringComparison.Ordinal),
            problem => Assert.Contains("bpm -3", problem.Reason, StringComparison.Ordinal),
            problem => Assert.Contains("duplicate id 'e'", problem.Reason, StringComparison.Ordinal));
        Assert.EndsWith("row 6", listing.Problems[^1].Location, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestWithoutAPathOrUriColumnIsRefused()
    {
        var manifest = Write("id,title\na,b\n");

        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read(manifest));

        Assert.Contains("'path' or a 'uri' column", error.Message, StringComparison.Ordinal);
    }

    private string Write(string content)
    {
        var path = Path.Combine(_directory.Path, "manifest.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
