namespace MusicSearch.Inference.Embedding;

/// <summary>A window of a track, in samples.</summary>
internal readonly record struct WindowSpan(int Start, int Length);

/// <summary>Where a track is cut into windows (ARCHITECTURE.md §5).</summary>
internal static class WindowPlanner
{
    /// <summary>
    /// Full windows at 0, hop, 2·hop, … while they fit; then the final partial window, from the next hop
    /// position to the end, when it has at least <paramref name="minimumPartial"/> samples. A track shorter than
    /// one window is one window of its whole length. With more windows than <paramref name="maxWindows"/>,
    /// that many full windows instead, spread evenly: the first starts at 0, the last ends at the end of the
    /// track (one window: centred).
    /// </summary>
    public static WindowSpan[] Plan(int samples, int window, int hop, int minimumPartial, int? maxWindows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hop);
        if (samples <= window)
        {
            return [new WindowSpan(0, samples)];
        }
        var full = (samples - window) / hop + 1;
        var tailStart = (long)full * hop;
        var hasTail = tailStart < samples && samples - tailStart >= minimumPartial;
        var count = full + (hasTail ? 1 : 0);
        if (maxWindows is { } limit && count > limit)
        {
            return Spread(samples, window, limit);
        }
        var windows = new WindowSpan[count];
        for (var i = 0; i < full; i++)
        {
            windows[i] = new WindowSpan(i * hop, window);
        }
        if (hasTail)
        {
            windows[^1] = new WindowSpan((int)tailStart, samples - (int)tailStart);
        }
        return windows;
    }

    private static WindowSpan[] Spread(int samples, int window, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var room = (long)(samples - window);
        var windows = new WindowSpan[count];
        if (count == 1)
        {
            windows[0] = new WindowSpan((int)(room / 2), window);
            return windows;
        }
        for (var i = 0; i < count; i++)
        {
            windows[i] = new WindowSpan((int)((i * room + (count - 1) / 2) / (count - 1)), window);
        }
        return windows;
    }
}
