namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// The hosts audio may be fetched from. Names are compared in their ASCII (punycode) form, lower-case and without a
/// trailing dot, as <see cref="Uri.IdnHost"/> gives them; IP addresses in the canonical form <see cref="Uri"/>
/// gives them, so "127.1" and "2130706433" are 127.0.0.1.
/// </summary>
internal sealed class HostAllowList
{
    private const string WildcardPrefix = "*.";

    private readonly HashSet<string> _hosts = new(StringComparer.Ordinal);
    private readonly List<string> _domainSuffixes = [];

    /// <exception cref="ArgumentException">An entry is neither a host name, an IP address, nor <c>*.</c> and a domain.</exception>
    public HostAllowList(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            var text = entry.Trim();
            if (text.StartsWith(WildcardPrefix, StringComparison.Ordinal))
            {
                var domain = text[WildcardPrefix.Length..];
                _domainSuffixes.Add("." + Normalize(domain, entry, Uri.CheckHostName(domain) == UriHostNameType.Dns));
            }
            else
            {
                _hosts.Add(Normalize(text, entry, Uri.CheckHostName(text) != UriHostNameType.Unknown));
            }
        }
    }

    public bool Allows(Uri uri)
    {
        var host = Canonical(uri);
        return _hosts.Contains(host)
            || _domainSuffixes.Exists(suffix => host.EndsWith(suffix, StringComparison.Ordinal));
    }

    private static string Normalize(string host, string entry, bool valid)
    {
        // IPv6 literals are bracketed in URIs but not in the list.
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return valid && Uri.TryCreate($"http://{authority}/", UriKind.Absolute, out var uri)
            ? Canonical(uri)
            : throw new ArgumentException(
                $"The allowed host '{entry}' is not a host name, an IP address or '*.' followed by a domain.", nameof(entry));
    }

    private static string Canonical(Uri uri) => uri.IdnHost.TrimEnd('.').ToLowerInvariant();
}
