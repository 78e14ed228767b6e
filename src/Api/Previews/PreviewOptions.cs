namespace MusicSearch.Api.Previews;

/// <summary>Signed preview URLs (configuration section <c>Previews</c>).</summary>
public sealed class PreviewOptions
{
    public const string Section = "Previews";

    /// <summary>
    /// The HMAC key, at least 32 bytes of UTF-8. Replicas behind one load balancer need the same secret; without one a
    /// random secret is made at start, so URLs stay valid only on this process until it restarts.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>How long an issued URL works: long enough to start and seek within a preview, short enough that a leaked URL soon dies.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);
}
