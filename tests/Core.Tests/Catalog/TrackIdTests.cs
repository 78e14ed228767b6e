using System.Text;
using System.Text.Json;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Tests.Catalog;

public sealed class TrackIdTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("trailing\t")]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    public void Invalid_ids_are_refused_with_a_reason(string? value)
    {
        Assert.False(TrackId.TryParse(value, out _));
        Assert.False(TrackId.TryValidate(value, out var problem));
        Assert.StartsWith("a track id must", problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TrackId(value!));
    }

    [Fact]
    public void Ids_must_be_valid_unicode()
    {
        // Built here, not in attributes: xunit would replace an unpaired surrogate when it serialises theory data.
        foreach (var value in new[] { "lone " + '\uD83C' + " surrogate", "reversed " + '\uDFB5' + '\uD83C', "end" + '\uD83C' })
        {
            Assert.False(TrackId.TryValidate(value, out var problem));
            Assert.Equal("a track id must be valid Unicode (no unpaired surrogates)", problem);
        }
        Assert.True(TrackId.TryParse("pair " + '\uD83C' + '\uDFB5', out _));
    }

    [Theory]
    [InlineData("isrc:GBAYE0601498")]
    [InlineData("file stem with spaces")]
    [InlineData("Sigur Rós – Hoppípolla 🎵")]
    public void Valid_ids_keep_their_value(string value)
    {
        Assert.True(TrackId.TryParse(value, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(value, id.ToString());
    }

    [Fact]
    public void The_length_limit_is_inclusive()
    {
        Assert.True(TrackId.TryParse(new string('x', TrackId.MaxLength), out _));
        Assert.False(TrackId.TryParse(new string('x', TrackId.MaxLength + 1), out _));
    }

    [Fact]
    public void An_uninitialised_id_has_no_value() => Assert.Throws<InvalidOperationException>(() => default(TrackId).Value);

    [Fact]
    public void Json_carries_an_id_as_a_plain_string()
    {
        var id = new TrackId("isrc:\"quoted\"");
        var json = JsonSerializer.Serialize(new { Id = id });
        Assert.Equal("{\"Id\":\"isrc:\\u0022quoted\\u0022\"}", json);
        Assert.Equal(id, JsonSerializer.Deserialize<TrackId>("\"isrc:\\\"quoted\\\"\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrackId>("42"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrackId>("\" padded \""));
    }

    [Fact]
    public void Point_ids_are_stable_name_based_version_5_uuids()
    {
        var point = new TrackId("isrc:GBAYE0601498").ToPointId();
        // Pinned to what Python's uuid.uuid5(namespace, id) computes: a changed point id would orphan every stored vector.
        Assert.Equal(Guid.Parse("343c57cc-d76f-5dd3-8380-683e793ef88a"), point);
        Assert.Equal(Guid.Parse("a26cf210-6c88-5194-beea-f4ffc17bc748"), new TrackId("Sigur Rós 🎵").ToPointId());
        var bytes = point.ToByteArray(bigEndian: true);
        Assert.Equal(5, bytes[6] >> 4);
        Assert.Equal(0b10, bytes[8] >> 6);
        Assert.Equal(point, new TrackId("isrc:GBAYE0601498").ToPointId());
        Assert.NotEqual(point, new TrackId("isrc:GBAYE0601499").ToPointId());
    }

    [Fact]
    public void Ids_order_by_code_point_which_is_the_byte_order_of_their_utf8_form()
    {
        // U+FF5E sorts before U+1F600 by code point, but after its surrogates (D83D DE00) in UTF-16 ordinal order.
        string[] values = ["b", "a", "ab", "\uFF5E", "\U0001F600", "\uE000x", "\uD7FF", "é", "a\U0001F600", "a\uFFFF", "A"];
        var ids = values.Select(v => new TrackId(v)).ToList();
        var byUtf8 = ids.OrderBy(id => Encoding.UTF8.GetBytes(id.Value), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
        Assert.Equal(byUtf8, ids.Order());
        Assert.True(new TrackId("\uFF5E") < new TrackId("\U0001F600"));
        Assert.True(new TrackId("ab") > new TrackId("a"));
        Assert.True(new TrackId("a") <= new TrackId("a"));
        Assert.Equal(0, new TrackId("same").CompareTo(new TrackId("same")));
    }
}
