using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

public class PunctuatorAndNameTests
{
    [Theory]
    [InlineData("!", TokenKind.Bang)]
    [InlineData("$", TokenKind.Dollar)]
    [InlineData("&", TokenKind.Amp)]
    [InlineData("(", TokenKind.ParenLeft)]
    [InlineData(")", TokenKind.ParenRight)]
    [InlineData("...", TokenKind.Spread)]
    [InlineData(":", TokenKind.Colon)]
    [InlineData("=", TokenKind.Equals)]
    [InlineData("@", TokenKind.At)]
    [InlineData("[", TokenKind.BracketLeft)]
    [InlineData("]", TokenKind.BracketRight)]
    [InlineData("{", TokenKind.BraceLeft)]
    [InlineData("|", TokenKind.Pipe)]
    [InlineData("}", TokenKind.BraceRight)]
    public void Each_punctuator_is_a_token_without_value(string text, TokenKind kind)
    {
        Assert.Equal(new Token(kind, 0, text.Length, 1, 1), Lex.One(text));
    }

    [Fact]
    public void Punctuators_need_no_separators()
    {
        Assert.Equal(
            [
                TokenKind.BraceLeft, TokenKind.Name, TokenKind.ParenLeft, TokenKind.Dollar, TokenKind.Name,
                TokenKind.Colon, TokenKind.BracketLeft, TokenKind.Name, TokenKind.Bang, TokenKind.BracketRight,
                TokenKind.Equals, TokenKind.IntValue, TokenKind.ParenRight, TokenKind.At, TokenKind.Name,
                TokenKind.Spread, TokenKind.Name, TokenKind.Pipe, TokenKind.Amp, TokenKind.BraceRight,
            ],
            Lex.Kinds("{f($v:[T!]=1)@d...F|&}"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("_")]
    [InlineData("__typename")]
    [InlineData("Z9_z")]
    [InlineData("query")]
    [InlineData("true")]
    public void Names_keep_their_text(string name)
    {
        Assert.Equal(new Token(TokenKind.Name, 0, name.Length, 1, 1, name), Lex.One(name));
    }

    [Fact]
    public void A_name_ends_at_the_first_character_that_cannot_continue_it()
    {
        Assert.Equal(
            [
                new Token(TokenKind.Name, 0, 3, 1, 1, "abc"),
                new Token(TokenKind.ParenLeft, 3, 4, 1, 4),
                new Token(TokenKind.Name, 4, 7, 1, 5, "d3f"),
                new Token(TokenKind.EndOfFile, 7, 7, 1, 8),
            ],
            Lex.All("abc(d3f"));
    }

    [Fact]
    public void Names_are_ascii_only()
    {
        Lex.AssertError("caf\u00e9", "Syntax Error: Unexpected character: U+00E9.", 1, 4);
    }

    [Fact]
    public void Empty_source_has_only_end_of_file()
    {
        Assert.Equal([new Token(TokenKind.EndOfFile, 0, 0, 1, 1)], Lex.All(""));
    }

    [Fact]
    public void A_realistic_document_lexes_completely()
    {
        var tokens = Lex.All("query Q($a: Int = 1) { f(x: \"s\", y: [1.5, \"\"\"b\"\"\"]) @d ...F }");

        Assert.Equal(29, tokens.Count);
        Assert.Equal(new Token(TokenKind.StringValue, 28, 31, 1, 29, "s"), tokens[15]);
        Assert.Equal(new Token(TokenKind.FloatValue, 37, 40, 1, 38, "1.5"), tokens[19]);
        Assert.Equal(new Token(TokenKind.BlockString, 42, 49, 1, 43, "b"), tokens[20]);
        Assert.Equal(new Token(TokenKind.EndOfFile, 61, 61, 1, 62), tokens[^1]);
    }
}
