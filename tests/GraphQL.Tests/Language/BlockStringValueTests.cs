using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

/// <summary>The spec's BlockStringValue(rawValue), applied to the text between the quotes.</summary>
public class BlockStringValueTests
{
    [Fact]
    public void Common_indentation_is_removed()
    {
        Assert.Equal("Hello,\n  World!\n\nYours,\n  GraphQL.", BlockString.Value("\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  "));
    }

    [Fact]
    public void The_first_line_keeps_its_indentation_and_does_not_count_towards_the_common_one()
    {
        Assert.Equal("  first\nsecond\n  third", BlockString.Value("  first\n    second\n      third"));
    }

    [Fact]
    public void Blank_lines_do_not_count_towards_the_common_indentation()
    {
        Assert.Equal("a\n\nb", BlockString.Value("\n    a\n \n    b"));
    }

    [Fact]
    public void Blank_lines_lose_at_most_the_common_indentation()
    {
        Assert.Equal("a\n   \nb", BlockString.Value("\n  a\n     \n  b"));
    }

    [Fact]
    public void Tabs_count_as_indentation_character_for_character()
    {
        Assert.Equal("a\n\tb\n c", BlockString.Value("\n\t a\n\t \tb\n\t  c"));
    }

    [Fact]
    public void Leading_and_trailing_blank_lines_are_removed()
    {
        Assert.Equal("x", BlockString.Value("\n\n \t \n    x\n  \n\n"));
    }

    [Fact]
    public void Blank_lines_between_content_stay()
    {
        Assert.Equal("a\n\n\nb", BlockString.Value("a\n\n\nb"));
    }

    [Fact]
    public void A_blank_first_line_is_removed_even_when_it_has_white_space()
    {
        Assert.Equal("x\ny", BlockString.Value("   \n  x\n  y"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\n")]
    [InlineData(" \t\r\n \r \n\t")]
    public void Only_white_space_gives_an_empty_string(string raw)
    {
        Assert.Equal("", BlockString.Value(raw));
    }

    [Fact]
    public void Every_line_terminator_becomes_a_line_feed()
    {
        Assert.Equal("a\nb\nc\nd", BlockString.Value("a\r\n b\r c\n d"));
    }

    [Fact]
    public void Trailing_white_space_on_content_lines_is_kept()
    {
        Assert.Equal("a  \nb\t", BlockString.Value("\n  a  \n  b\t\n"));
    }

    [Fact]
    public void Other_white_space_characters_are_content()
    {
        Assert.Equal("\u00A0a\nb", BlockString.Value("\n  \u00A0a\n  b"));
    }

    [Fact]
    public void Content_lines_without_indentation_leave_every_line_unchanged()
    {
        Assert.Equal("a\n    b\nc", BlockString.Value("\n  \na\n    b\nc\n"));
    }
}
