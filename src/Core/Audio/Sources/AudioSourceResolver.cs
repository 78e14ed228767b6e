namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// Turns a catalog's audio address into an opened <see cref="IAudioSource"/>, allowing only what
/// <see cref="AudioSourceOptions"/> allows. Create one per process and share it: it holds the HTTP connection pool.
/// </summary>
public sealed class AudioSourceResolver : IDisposable
{
    private readonly LibraryFiles _files;
    private readonly HttpAudioFetcher _web;

    /// <exception cref="ArgumentException">A library root or an allowed host is unusable.</exception>
    public AudioSourceResolver(AudioSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _files = new LibraryFiles(options.LibraryRoots, options.MaxBytes);
        _web = new HttpAudioFetcher(options);
    }

    /// <summary>
    /// Opens <c>file:///abs/path</c>, a plain absolute path, or an <c>http(s)://</c> URL. Files are opened at once;
    /// for URLs the response headers have arrived and been checked, and the body streams as it is read. The token
    /// also cancels reads of an HTTP source's content.
    /// </summary>
    /// <exception cref="AudioSourceException">The address is invalid or not allowed, or the audio cannot be had.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<IAudioSource> OpenAsync(string audioUri, CancellationToken cancellationToken = default)
    {
        var address = AudioAddress.Parse(audioUri);
        if (address.FilePath is { } path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _files.Open(path);
        }

        return await _web.OpenAsync(address.WebUri!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The real path (every link resolved) of a local file or folder, provided it lies inside the library roots: what a
    /// catalog listing may scan, by the same rule that decides which files may be read.
    /// </summary>
    /// <exception cref="AudioSourceException">NotFound, NotAllowed (outside the roots, or no roots configured), InvalidUri (not an absolute path).</exception>
    public string ResolveLibraryPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new AudioSourceException(AudioSourceError.InvalidUri, path, "it is not an absolute path");
        }
        return _files.RealPathInside(Path.GetFullPath(path));
    }

    public void Dispose() => _web.Dispose();
}
