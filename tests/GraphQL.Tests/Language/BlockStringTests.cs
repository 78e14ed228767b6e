using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

/// <summary>Block strings as the lexer reads them; the indentation algorithm itself is in <see cref="BlockStringValueTests"/>.</summary>
public class BlockStringTests
{
    [Theory]
    [InlineData("\"\"\"\"\"\"", "")]
    [InlineData("\"\"\"simple\"\"\"", "simple")]
    [InlineData("\"\"\" white space \"\"\"", " white space ")]
    [InlineData("\"\"\"contains \" quote\"\"\"", "contains \" quote")]
    [InlineData("\"\"\"contains \"\" quotes\"\"\"", "contains \"\" quotes")]
    [InlineData("\"\"\"contains \\\"\"\" triple quote\"\"\"", "contains \"\"\" triple quote")]
    [InlineData("\"\"\"\\\"\"\"\\\"\"\"\"\"\"", "\"\"\"\"\"\"")]
    [InlineData("\"\"\"no escapes \\n \\u0041 \\\\ end\"\"\"", "no escapes \\n \\u0041 \\\\ end")]
    [InlineData("\"\"\"unescaped \u0007 \uD83C\uDFB5\"\"\"", "unescaped \u0007 \uD83C\uDFB5")]
    [InlineData("\"\"\"multi\nline\"\"\"", "multi\nline")]
    [InlineData("\"\"\"multi\r\nline\"\"\"", "multi\nline")]
    [InlineData("\"\"\"multi\rline\"\"\"", "multi\nline")]
    [InlineData("\"\"\"\n\n    spans\n      multiple\n    lines\n\n  \"\"\"", "spans\n  multiple\nlines")]
    public void Block_strings_keep_their_text_apart_from_indentation(string body, string value)
    {
        Assert.Equal(new Token(TokenKind.BlockString, 0, body.Length, 1, 1, value), Lex.One(body));
    }

    [Fact]
    public void A_block_string_ends_at_the_first_unescaped_triple_quote()
    {
        Assert.Equal(
            [new Token(TokenKind.BlockString, 0, 7, 1, 1, "a"), new Token(TokenKind.StringValue, 7, 10, 1, 8, "b")],
            Lex.All("\"\"\"a\"\"\"\"b\"").SkipLast(1));
    }

    [Fact]
    public void Four_quotes_end_the_block_string_before_the_last_one()
    {
        Lex.AssertError("\"\"\"a\"\"\"\"", "Syntax Error: Unterminated string.", 1, 9);
    }

    [Theory]
    [InlineData("\"\"\"", 1, 4)]
    [InlineData("\"\"\"no end\"\"", 1, 12)]
    [InlineData("\"\"\"first\n  second\r\n", 3, 1)]
    [InlineData("\"\"\"escaped end \\\"\"\"", 1, 20)]
    public void Unterminated_block_strings_are_reported_at_the_end_of_the_source(string body, int line, int column)
    {
        Lex.AssertError(body, "Syntax Error: Unterminated string.", line, column);
    }

    [Fact]
    public void Unpaired_surrogates_are_invalid_characters()
    {
        // Facts rather than InlineData: xunit's theory data cannot carry lone surrogates.
        Lex.AssertError("\"\"\"lone \uD83C\"\"\"", "Syntax Error: Invalid character within String: U+D83C.", 1, 9);
        Lex.AssertError("\"\"\"\n  lone \uDFB5\"\"\"", "Syntax Error: Invalid character within String: U+DFB5.", 2, 8);
    }
}
