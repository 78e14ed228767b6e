using System.Buffers.Text;
using System.Text;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Paging;

/// <summary>
/// Opaque cursors for lists in track id order (the catalog listing): <c>base64url("after:" + id)</c>, so a page continues
/// after the last track it showed even when tracks are added or removed in between.
/// </summary>
public static class KeyCursor
{
    private const string Prefix = "after:";

    public static string Encode(TrackId id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + id.Value));

    /// <summary>Null for no cursor; the track the previous page ended with otherwise.</summary>
    /// <exception cref="ArgumentException">Not a cursor of this kind.</exception>
    public static TrackId? Decode(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && TrackId.TryParse(text[Prefix.Length..], out var id))
            {
                return id;
            }
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException($"'{(cursor.Length > 40 ? cursor[..40] + "…" : cursor)}' is not a valid cursor");
    }
}
