using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MusicSearch.Api.Paging;

/// <summary>
/// Opaque cursors for lists that are paged by position (ranked results): <c>base64url("offset:N")</c>. Opaque so that
/// clients do not build them, versioned by the prefix so the format can change.
/// </summary>
public static class OffsetCursor
{
    private const string Prefix = "offset:";

    /// <summary>Largest first-page size any list accepts.</summary>
    public const int MaxFirst = 100;

    public static string Encode(int offset) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    /// <summary>0 for no cursor; the offset after the item the cursor was issued for otherwise.</summary>
    /// <exception cref="ArgumentException">Not a cursor this Api issued.</exception>
    public static int Decode(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException($"'{(cursor.Length > 40 ? cursor[..40] + "…" : cursor)}' is not a valid cursor");
    }

    /// <exception cref="ArgumentException"><paramref name="first"/> outside 1..<see cref="MaxFirst"/>.</exception>
    public static void CheckFirst(int first)
    {
        if (first is < 1 or > MaxFirst)
        {
            throw new ArgumentException($"first must be between 1 and {MaxFirst}, got {first}");
        }
    }

    /// <summary>A page of <paramref name="first"/> items from <paramref name="fetched"/>, which holds up to one more to tell whether a next page exists.</summary>
    public static Page<T> PageOf<T>(IReadOnlyList<T> fetched, int offset, int first)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        var items = fetched.Count > first ? fetched.Take(first).ToArray() : fetched;
        return new Page<T>(items, items.Count > 0 ? Encode(offset + items.Count) : null, fetched.Count > first);
    }
}
