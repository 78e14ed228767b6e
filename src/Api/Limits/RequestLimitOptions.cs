namespace MusicSearch.Api.Limits;

/// <summary>Request size limits (configuration section <c>Limits</c>); uploads have their own, larger one (<see cref="UploadOptions"/>).</summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request body Kestrel accepts on any endpoint that does not declare its own limit (GraphQL queries, JSON).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>Audio uploads for query-by-audio (configuration section <c>Upload</c>).</summary>
public sealed class UploadOptions
{
    public const string Section = "Upload";

    /// <summary>Largest audio file accepted.</summary>
    public long MaxBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Longest audio accepted, in seconds (probed before decoding).</summary>
    public double MaxSeconds { get; set; } = 600;

    /// <summary>What a multipart request may add around the file (boundaries, headers, other fields).</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    /// <summary>The request body limit of an upload endpoint.</summary>
    public long MaxRequestBytes => MaxBytes + MultipartOverheadBytes;

    internal IEnumerable<string> Problems()
    {
        if (MaxBytes < 1)
        {
            yield return $"Upload:MaxBytes must be positive, got {MaxBytes}";
        }
        if (!double.IsFinite(MaxSeconds) || MaxSeconds <= 0)
        {
            yield return $"Upload:MaxSeconds must be a positive number, got {MaxSeconds}";
        }
    }
}
