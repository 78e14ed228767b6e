using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Indexing.Catalog;

/// <summary>
/// Lists the audio files under a folder as tracks: ids are paths relative to the folder (stable across runs, so
/// re-indexing a folder updates the same points), payload from the files' tags read with ffprobe, falling back to the
/// file name for the title. Files ffprobe cannot read are reported, not fatal.
/// </summary>
public sealed class FolderScanner(AudioMetadataReader metadata, int parallelism = 4)
{
    /// <summary>What ffmpeg decodes and catalogs carry; anything else in the folder (covers, cue sheets…) is skipped.</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav", ".aif", ".aiff", ".m4a", ".aac", ".wma", ".mka", ".webm",
        ".xm", ".mod", ".it", ".s3m",
    };

    public async Task<CatalogListing> ScanAsync(string folder, IProgress<int>? probed = null, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"no such folder: {folder}");
        }
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        })
            .Where(path => AudioExtensions.Contains(Path.GetExtension(path)))
            .Order(StringComparer.Ordinal)
            .ToArray();

        var results = new (Track? Track, CatalogProblem? Problem)[files.Length];
        var done = 0;
        await Parallel.ForAsync(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                results[i] = await DescribeAsync(root, files[i], token).ConfigureAwait(false);
                probed?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);
        return new CatalogListing(
            results.Where(result => result.Track is not null).Select(result => result.Track!).ToArray(),
            results.Where(result => result.Problem is not null).Select(result => result.Problem!).ToArray());
    }

    private async Task<(Track?, CatalogProblem?)> DescribeAsync(string root, string file, CancellationToken cancellationToken)
    {
        var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
        try
        {
            var probe = await metadata.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            var tags = probe.Tags;
            var track = new Track
            {
                Id = new TrackId(relative),
                Title = string.IsNullOrWhiteSpace(tags.Title) ? Path.GetFileNameWithoutExtension(file) : tags.Title.Trim(),
                Artist = Clean(tags.Artist),
                Album = Clean(tags.Album),
                Genre = Clean(tags.Genre),
                Year = TagValues.Year(tags.Date),
                DurationSeconds = probe.Duration?.TotalSeconds,
                AudioUri = new Uri(file).AbsoluteUri,
            };
            track.Validate();
            return (track, null);
        }
        catch (Exception error) when (error is AudioDecodeException or ArgumentException)
        {
            return (null, new CatalogProblem(relative, error.Message));
        }
    }

    private static string? Clean(string? tag) => string.IsNullOrWhiteSpace(tag) ? null : tag.Trim();
}
