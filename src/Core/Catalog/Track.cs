namespace MusicSearch.Core.Catalog;

/// <summary>
/// What the catalog knows about a track: the payload stored next to its vectors and the fields searches filter on.
/// Optional fields are null when unknown; a filter on an unknown field never matches it.
/// </summary>
public sealed record Track
{
    public const int MaxTextLength = 1024;
    public const int MaxTags = 64;

    public required TrackId Id { get; init; }

    public string Title { get; init; } = "";

    public string? Artist { get; init; }

    public string? Album { get; init; }

    public string? Genre { get; init; }

    public int? Year { get; init; }

    public double? DurationSeconds { get; init; }

    /// <summary>Where the audio is: <c>file:///…</c> under a library root or an allow-listed <c>https://…</c> URL.</summary>
    public required string AudioUri { get; init; }

    /// <summary>Tempo in beats per minute, when the catalog knows it.</summary>
    public double? Bpm { get; init; }

    /// <summary>Free-form keywords (moods, instruments, editorial labels); matched exactly, ignoring case.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that no store should accept.</summary>
    public void Validate()
    {
        if (Id == default)
        {
            throw new ArgumentException("a track needs an id", nameof(Id));
        }
        CheckText(Title, nameof(Title));
        CheckText(Artist, nameof(Artist));
        CheckText(Album, nameof(Album));
        CheckText(Genre, nameof(Genre));
        CheckText(AudioUri, nameof(AudioUri));
        if (string.IsNullOrWhiteSpace(AudioUri))
        {
            throw new ArgumentException($"track {Id}: the audio URI must not be empty", nameof(AudioUri));
        }
        if (Year is < 1000 or > 9999)
        {
            throw new ArgumentException($"track {Id}: year {Year} is not a four-digit year", nameof(Year));
        }
        if (DurationSeconds is { } duration && (!double.IsFinite(duration) || duration < 0))
        {
            throw new ArgumentException($"track {Id}: duration {duration} is not a non-negative number of seconds", nameof(DurationSeconds));
        }
        if (Bpm is { } bpm && (!double.IsFinite(bpm) || bpm <= 0 || bpm > 1000))
        {
            throw new ArgumentException($"track {Id}: bpm {bpm} is outside (0, 1000]", nameof(Bpm));
        }
        ArgumentNullException.ThrowIfNull(Tags);
        if (Tags.Count > MaxTags)
        {
            throw new ArgumentException($"track {Id}: at most {MaxTags} tags, got {Tags.Count}", nameof(Tags));
        }
        foreach (var tag in Tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException($"track {Id}: tags must not be empty", nameof(Tags));
            }
            CheckText(tag, nameof(Tags));
        }
    }

    private void CheckText(string? value, string field)
    {
        if (value is { Length: > MaxTextLength })
        {
            throw new ArgumentException($"track {Id}: {field} is longer than {MaxTextLength} characters", field);
        }
    }
}
