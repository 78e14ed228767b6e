namespace MusicSearch.Api.Limits;

/// <summary>Requests per key per window (configuration section <c>RateLimit</c>); anonymous callers are counted per client IP.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Requests one API key may make per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 600;

    /// <summary>Requests one client IP may make per <see cref="Window"/> without a key.</summary>
    public int AnonymousPermitLimit { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Problems()
    {
        if (PermitLimit < 1)
        {
            yield return $"RateLimit:PermitLimit must be at least 1, got {PermitLimit}";
        }
        if (AnonymousPermitLimit < 1)
        {
            yield return $"RateLimit:AnonymousPermitLimit must be at least 1, got {AnonymousPermitLimit}";
        }
        if (Window <= TimeSpan.Zero)
        {
            yield return $"RateLimit:Window must be positive, got {Window}";
        }
    }
}
