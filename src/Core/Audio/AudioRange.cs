namespace MusicSearch.Core.Audio;

/// <summary>A window of a file: from <see cref="Start"/>, lasting <see cref="Length"/>, or to the end when that is null.</summary>
public sealed record AudioRange
{
    public AudioRange(TimeSpan start, TimeSpan? length = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, TimeSpan.Zero);
        if (length is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requested, TimeSpan.Zero, nameof(length));
        }

        Start = start;
        Length = length;
    }

    public static AudioRange WholeFile { get; } = new(TimeSpan.Zero);

    public TimeSpan Start { get; }

    public TimeSpan? Length { get; }

    /// <summary>How much audio this range covers in a file of the given duration; null when the duration is unknown.</summary>
    internal TimeSpan? CoveredIn(TimeSpan? fileDuration)
    {
        if (fileDuration is not { } duration)
        {
            return null;
        }

        var remaining = duration > Start ? duration - Start : TimeSpan.Zero;
        return Length is { } length && length < remaining ? length : remaining;
    }
}
