using System.Globalization;
using System.Text;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// Listing in track-id order (<see cref="TrackId.CompareTo"/>, which is UTF-8 byte order) with what Qdrant can order by:
/// numbers. The id's UTF-8 bytes are cut into levels of <see cref="BytesPerLevel"/> bytes, each a big-endian integer
/// in payload field <c>order_N</c> (the last one zero-padded). Ids compare as their level tuples compare, an id that
/// ends earlier (no <c>order_N</c>) coming first, since no id contains a zero byte. Six bytes keep every value below
/// 2⁴⁸, exact in the doubles that Qdrant's range conditions and <c>start_from</c> use. See <see cref="IdOrderScan"/>.
/// </summary>
internal static class TrackOrderKey
{
    public const int BytesPerLevel = 6;

    public static string Field(int level) => "order_" + level.ToString(CultureInfo.InvariantCulture);

    public static long[] Levels(TrackId id)
    {
        var bytes = Encoding.UTF8.GetBytes(id.Value);
        var levels = new long[(bytes.Length + BytesPerLevel - 1) / BytesPerLevel];
        for (var level = 0; level < levels.Length; level++)
        {
            long value = 0;
            for (var i = 0; i < BytesPerLevel; i++)
            {
                var at = (level * BytesPerLevel) + i;
                value = (value << 8) | (at < bytes.Length ? bytes[at] : 0L);
            }
            levels[level] = value;
        }
        return levels;
    }

    /// <summary>Integer payload indexes on <c>order_0</c>… that ids of this many UTF-8 bytes need.</summary>
    public static int LevelsFor(TrackId id) => (Encoding.UTF8.GetByteCount(id.Value) + BytesPerLevel - 1) / BytesPerLevel;
}
