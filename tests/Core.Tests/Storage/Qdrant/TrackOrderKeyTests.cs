using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage.Qdrant;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

public sealed class TrackOrderKeyTests
{
    [Fact]
    public void Level_tuples_order_ids_as_TrackId_does()
    {
        var random = new Random(3);
        char[] alphabet = ['a', 'b', 'z', 'A', '0', ':', 'é', '\uFFFD', '\uD83C', '\uDFB5'];
        var ids = new HashSet<TrackId>();
        while (ids.Count < 400)
        {
            var length = 1 + random.Next(14);
            var text = new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(8)])]);
            if (random.Next(4) == 0)
            {
                text += "\uD83C\uDFB5";
            }
            ids.Add(new TrackId(text.Trim() is { Length: > 0 } trimmed ? trimmed : "x"));
        }

        var byKey = ids.OrderBy(id => TrackOrderKey.Levels(id), Comparer<long[]>.Create(CompareLevels)).ToList();

        Assert.Equal(ids.Order().ToList(), byKey);
        Assert.All(ids, id => Assert.All(TrackOrderKey.Levels(id), level => Assert.InRange(level, 1, (1L << 48) - 1)));
    }

    [Fact]
    public void Ids_are_cut_into_six_byte_levels()
    {
        Assert.Equal([0x616263000000L], TrackOrderKey.Levels(new TrackId("abc")));
        Assert.Equal([0x616263646566L, 0x670000000000L], TrackOrderKey.Levels(new TrackId("abcdefg")));
        Assert.Equal(2, TrackOrderKey.LevelsFor(new TrackId("abcdefg")));
        Assert.Equal("order_1", TrackOrderKey.Field(1));
    }

    // An id that ends earlier has no further level and sorts first.
    private static int CompareLevels(long[] left, long[] right)
    {
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            if (left[i] != right[i])
            {
                return left[i].CompareTo(right[i]);
            }
        }
        return left.Length.CompareTo(right.Length);
    }
}
