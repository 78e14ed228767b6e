using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

public class IgnoredTokenTests
{
    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData(",")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\uFEFF")]
    [InlineData("# only a comment")]
    [InlineData(" ,\t\uFEFF\r\n, # c\n\r")]
    public void Ignored_tokens_produce_nothing(string body)
    {
        Assert.Empty(Lex.Kinds(body));
    }

    [Fact]
    public void Commas_separate_like_white_space()
    {
        Assert.Equal(["a", "b", "c"], Lex.All("a,b,,c").SkipLast(1).Select(token => token.Value));
    }

    [Fact]
    public void A_byte_order_mark_is_ignored_anywhere()
    {
        Assert.Equal(["a", "b"], Lex.All("\uFEFFa\uFEFFb").SkipLast(1).Select(token => token.Value));
    }

    [Fact]
    public void Comments_are_skipped_by_default()
    {
        Assert.Equal(
            [new Token(TokenKind.Name, 10, 11, 2, 1, "a"), new Token(TokenKind.EndOfFile, 18, 18, 2, 9)],
            Lex.All("# comment\na # tail"));
    }

    [Fact]
    public void Comments_run_to_the_line_end_and_are_returned_on_request()
    {
        Assert.Equal(
            [
                new Token(TokenKind.Comment, 0, 5, 1, 1, " one"),
                new Token(TokenKind.Comment, 6, 12, 2, 1, "two #"),
                new Token(TokenKind.Comment, 14, 15, 3, 1, ""),
                new Token(TokenKind.Name, 16, 17, 4, 1, "x"),
                new Token(TokenKind.Comment, 17, 21, 4, 2, "\"y\""),
                new Token(TokenKind.EndOfFile, 21, 21, 4, 6),
            ],
            Lex.All("# one\n#two #\r\n#\rx#\"y\"", includeComments: true));
    }

    [Fact]
    public void A_comment_keeps_supplementary_characters()
    {
        Assert.Equal("\uD83C\uDFB5 music", Lex.All("#\uD83C\uDFB5 music", includeComments: true)[0].Value);
    }

    [Fact]
    public void A_lone_surrogate_ends_a_comment_and_is_then_reported()
    {
        Lex.AssertError("# ab\uD800cd", "Syntax Error: Invalid character: U+D800.", 1, 5);
    }
}
