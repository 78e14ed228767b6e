namespace MusicSearch.Core.Audio.Sources;

/// <summary>An audio address from a catalog message, taken apart: a local path or a web URL, never both.</summary>
internal sealed record AudioAddress(string? FilePath, Uri? WebUri)
{
    /// <summary>
    /// Accepts <c>file:///abs/path</c> (or <c>file://localhost/abs/path</c>), a plain absolute path, and absolute
    /// <c>http://</c> / <c>https://</c> URLs. Percent-escapes in file URIs are decoded; "." and ".." are folded
    /// into the path (the library check looks at the real path afterwards anyway).
    /// </summary>
    /// <exception cref="AudioSourceException">InvalidUri.</exception>
    public static AudioAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith('/'))
        {
            return File(text, text);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw Invalid(text, "it is neither an absolute path nor an absolute URI");
        }

        if (uri.Scheme == Uri.UriSchemeFile)
        {
            // RFC 8089: the authority of a local file URI is empty or "localhost"; anything else names another machine.
            return uri.Host.Length == 0 || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                ? File(Uri.UnescapeDataString(uri.AbsolutePath), text)
                : throw Invalid(text, $"a file URI must not name another machine ('{uri.Host}')");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(text, $"the scheme '{uri.Scheme}' is not supported (file, http and https are)");
        }

        return uri.UserInfo.Length == 0
            ? new AudioAddress(null, uri)
            : throw Invalid(Display(uri), "credentials do not belong in an audio URL");
    }

    /// <summary>A URL as errors and logs show it: without credentials and query, which may hold a signature or a token.</summary>
    public static string Display(Uri uri) =>
        $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{(uri.Query.Length > 0 ? "?…" : "")}";

    private static AudioAddress File(string path, string text) =>
        path.Contains('\0', StringComparison.Ordinal)
            ? throw Invalid(text, "the path contains a NUL character")
            : new AudioAddress(Path.GetFullPath(path), null);

    private static AudioSourceException Invalid(string text, string reason) =>
        new(AudioSourceError.InvalidUri, text.Length > 300 ? text[..300] + "…" : text, reason);
}
