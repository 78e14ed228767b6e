using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

public class StringTests
{
    [Theory]
    [InlineData("\"\"", "")]
    [InlineData("\"simple\"", "simple")]
    [InlineData("\" white space \"", " white space ")]
    [InlineData("\"tab\tinside\"", "tab\tinside")]
    [InlineData("\"quote \\\"\"", "quote \"")]
    [InlineData("\"escaped \\n\\r\\b\\t\\f\"", "escaped \n\r\b\t\f")]
    [InlineData("\"slashes \\\\ \\/\"", "slashes \\ /")]
    [InlineData("\"unescaped unicode \u00e9 \uD83C\uDFB5\"", "unescaped unicode \u00e9 \uD83C\uDFB5")]
    [InlineData("\"unescaped control char \u0007\"", "unescaped control char \u0007")]
    [InlineData("\"fixed \\u1234\\u00e9\\u0041\"", "fixed \u1234\u00e9A")]
    [InlineData("\"fixed max \\uFFFF\"", "fixed max \uFFFF")]
    [InlineData("\"variable \\u{41}\\u{1234}\\u{0}\"", "variable A\u1234\0")]
    [InlineData("\"variable supplementary \\u{1F3B5}\"", "variable supplementary \uD83C\uDFB5")]
    [InlineData("\"variable max \\u{10FFFF}\"", "variable max \uDBFF\uDFFF")]
    [InlineData("\"eight digits \\u{00000041}\"", "eight digits A")]
    [InlineData("\"surrogate pair \\uD83C\\uDFB5\"", "surrogate pair \uD83C\uDFB5")]
    [InlineData("\"lower case pair \\ud83c\\udfb5\"", "lower case pair \uD83C\uDFB5")]
    public void Strings_decode_their_escape_sequences(string body, string value)
    {
        Assert.Equal(new Token(TokenKind.StringValue, 0, body.Length, 1, 1, value), Lex.One(body));
    }

    [Fact]
    public void A_string_ends_at_the_first_unescaped_quote()
    {
        Assert.Equal(
            [new Token(TokenKind.StringValue, 0, 3, 1, 1, "a"), new Token(TokenKind.StringValue, 4, 7, 1, 5, "b")],
            Lex.All("\"a\" \"b\"").SkipLast(1));
    }

    [Theory]
    [InlineData("\"", "Unterminated string.", 1, 2)]
    [InlineData("\"no end", "Unterminated string.", 1, 8)]
    [InlineData("\"no end\\\"", "Unterminated string.", 1, 10)]
    [InlineData("\"multi\nline\"", "Unterminated string.", 1, 7)]
    [InlineData("\"multi\rline\"", "Unterminated string.", 1, 7)]
    [InlineData("\"multi\r\nline\"", "Unterminated string.", 1, 7)]
    [InlineData("x\n  \"abc", "Unterminated string.", 2, 7)]
    public void Unterminated_strings_are_reported_where_the_line_or_source_ends(
        string body, string description, int line, int column)
    {
        Lex.AssertError(body, "Syntax Error: " + description, line, column);
    }

    [Theory]
    [InlineData("\"bad \\z esc\"", "Invalid character escape sequence: \"\\z\".", 6)]
    [InlineData("\"bad \\x esc\"", "Invalid character escape sequence: \"\\x\".", 6)]
    [InlineData("\"bad \\u1 esc\"", "Invalid Unicode escape sequence: \"\\u1 es\".", 6)]
    [InlineData("\"bad \\u0XX1 esc\"", "Invalid Unicode escape sequence: \"\\u0XX1\".", 6)]
    [InlineData("\"bad \\uXXXX esc\"", "Invalid Unicode escape sequence: \"\\uXXXX\".", 6)]
    [InlineData("\"bad \\uFXXX esc\"", "Invalid Unicode escape sequence: \"\\uFXXX\".", 6)]
    [InlineData("\"bad \\uXXXF esc\"", "Invalid Unicode escape sequence: \"\\uXXXF\".", 6)]
    [InlineData("\"bad \\u", "Invalid Unicode escape sequence: \"\\u\".", 6)]
    [InlineData("\"end \\", "Invalid character escape sequence: \"\\\".", 6)]
    [InlineData("\"bad \\u{} esc\"", "Invalid Unicode escape sequence: \"\\u{}\".", 6)]
    [InlineData("\"bad \\u{FXXX} esc\"", "Invalid Unicode escape sequence: \"\\u{FX\".", 6)]
    [InlineData("\"bad \\u{FFFF esc\"", "Invalid Unicode escape sequence: \"\\u{FFFF \".", 6)]
    [InlineData("\"bad \\u{FFFF\"", "Invalid Unicode escape sequence: \"\\u{FFFF\"\".", 6)]
    [InlineData("\"too high \\u{110000} esc\"", "Invalid Unicode escape sequence: \"\\u{110000}\".", 11)]
    [InlineData("\"way too high \\u{12345678} esc\"", "Invalid Unicode escape sequence: \"\\u{12345678}\".", 15)]
    [InlineData("\"too long \\u{000000000} esc\"", "Invalid Unicode escape sequence: \"\\u{000000000\".", 11)]
    [InlineData("\"overflow \\u{FFFFFFFF} esc\"", "Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 11)]
    [InlineData("\"lone leading \\uD83C esc\"", "Invalid Unicode escape sequence: \"\\uD83C\".", 15)]
    [InlineData("\"lone trailing \\uDFB5 esc\"", "Invalid Unicode escape sequence: \"\\uDFB5\".", 16)]
    [InlineData("\"reversed pair \\uDFB5\\uD83C\"", "Invalid Unicode escape sequence: \"\\uDFB5\".", 16)]
    [InlineData("\"two leading \\uD83C\\uD83C\"", "Invalid Unicode escape sequence: \"\\uD83C\".", 14)]
    [InlineData("\"leading then scalar \\uD83C\\u0041\"", "Invalid Unicode escape sequence: \"\\uD83C\".", 22)]
    [InlineData("\"variable surrogate \\u{D83C}\"", "Invalid Unicode escape sequence: \"\\u{D83C}\".", 21)]
    [InlineData("\"variable pair \\u{D83C}\\u{DFB5}\"", "Invalid Unicode escape sequence: \"\\u{D83C}\".", 16)]
    public void Invalid_escape_sequences_quote_the_offending_text(string body, string description, int column)
    {
        Lex.AssertError(body, "Syntax Error: " + description, 1, column);
    }

    [Fact]
    public void Unpaired_surrogates_are_invalid_characters()
    {
        // Facts rather than InlineData: xunit's theory data cannot carry lone surrogates.
        AssertInvalidCharacter("\"lone leading \uD83C esc\"", "U+D83C", 15);
        AssertInvalidCharacter("\"lone trailing \uDFB5 esc\"", "U+DFB5", 16);
        AssertInvalidCharacter("\"reversed \uDFB5\uD83C\"", "U+DFB5", 11);
        AssertInvalidCharacter("\"at end \uD83C", "U+D83C", 9);
    }

    private static void AssertInvalidCharacter(string body, string character, int column) =>
        Lex.AssertError(body, $"Syntax Error: Invalid character within String: {character}.", 1, column);
}
