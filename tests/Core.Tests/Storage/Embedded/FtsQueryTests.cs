using MusicSearch.Core.Storage.Embedded;

namespace MusicSearch.Core.Tests.Storage.Embedded;

public sealed class FtsQueryTests
{
    [Theory]
    [InlineData("miles", "\"miles\" *")]
    [InlineData("  kind   of\tblue ", "\"kind\" \"of\" \"blue\" *")]
    [InlineData("say \"hi\"", "\"say\" \"\"\"hi\"\"\" *")]
    [InlineData("a OR b NOT c", "\"a\" \"OR\" \"b\" \"NOT\" \"c\" *")]
    [InlineData("title:x (y) -z ^w", "\"title:x\" \"(y)\" \"-z\" \"^w\" *")]
    [InlineData("rock * roll", "\"rock\" \"roll\" *")]
    public void Every_word_is_a_quoted_string_and_the_last_a_prefix(string text, string expected) =>
        Assert.Equal(expected, FtsQuery.From(text));

    [Theory]
    [InlineData("*")]
    [InlineData("\" - : ^ ( )")]
    public void Text_without_letters_or_digits_has_no_expression(string text) => Assert.Null(FtsQuery.From(text));
}
