using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

public class NumberTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("4")]
    [InlineData("-4")]
    [InlineData("9876543210")]
    [InlineData("123456789012345678901234567890")]
    public void Integers_keep_their_text(string text)
    {
        Assert.Equal(new Token(TokenKind.IntValue, 0, text.Length, 1, 1, text), Lex.One(text));
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("-0.0")]
    [InlineData("4.123")]
    [InlineData("-4.123")]
    [InlineData("0.123")]
    [InlineData("123e4")]
    [InlineData("123E4")]
    [InlineData("123e-4")]
    [InlineData("123e+4")]
    [InlineData("-1.123e4")]
    [InlineData("-1.123E-4")]
    [InlineData("-1.123e+4567")]
    [InlineData("0e0")]
    public void Floats_have_a_fraction_or_an_exponent(string text)
    {
        Assert.Equal(new Token(TokenKind.FloatValue, 0, text.Length, 1, 1, text), Lex.One(text));
    }

    [Fact]
    public void A_number_may_be_followed_by_punctuation_or_white_space()
    {
        Assert.Equal(
            [TokenKind.IntValue, TokenKind.BracketRight, TokenKind.FloatValue, TokenKind.ParenRight, TokenKind.IntValue],
            Lex.Kinds("1]2.5)3"));
    }

    [Fact]
    public void A_minus_sign_after_a_number_starts_the_next_number()
    {
        Assert.Equal(["1", "-2"], Lex.All("1-2").SkipLast(1).Select(token => token.Value));
    }

    [Theory]
    [InlineData("00", "Invalid number, unexpected digit after 0: \"0\".", 2)]
    [InlineData("01", "Invalid number, unexpected digit after 0: \"1\".", 2)]
    [InlineData("-01", "Invalid number, unexpected digit after 0: \"1\".", 3)]
    [InlineData("01.23", "Invalid number, unexpected digit after 0: \"1\".", 2)]
    [InlineData("1.", "Invalid number, expected digit but got: <EOF>.", 3)]
    [InlineData("1.A", "Invalid number, expected digit but got: \"A\".", 3)]
    [InlineData("1.e1", "Invalid number, expected digit but got: \"e\".", 3)]
    [InlineData(".123", "Unexpected character: \".\".", 1)]
    [InlineData("-", "Invalid number, expected digit but got: <EOF>.", 2)]
    [InlineData("-A", "Invalid number, expected digit but got: \"A\".", 2)]
    [InlineData("- 1", "Invalid number, expected digit but got: \" \".", 2)]
    [InlineData("1e", "Invalid number, expected digit but got: <EOF>.", 3)]
    [InlineData("1E", "Invalid number, expected digit but got: <EOF>.", 3)]
    [InlineData("1e+", "Invalid number, expected digit but got: <EOF>.", 4)]
    [InlineData("1.0e-", "Invalid number, expected digit but got: <EOF>.", 6)]
    [InlineData("1.0eA", "Invalid number, expected digit but got: \"A\".", 5)]
    [InlineData("1.2.3", "Invalid number, expected digit but got: \".\".", 4)]
    [InlineData("1.23.4", "Invalid number, expected digit but got: \".\".", 5)]
    [InlineData("1..2", "Invalid number, expected digit but got: \".\".", 3)]
    [InlineData("1e1.2", "Invalid number, expected digit but got: \".\".", 4)]
    [InlineData("0x1", "Invalid number, expected digit but got: \"x\".", 2)]
    [InlineData("0xF1", "Invalid number, expected digit but got: \"x\".", 2)]
    [InlineData("0b10", "Invalid number, expected digit but got: \"b\".", 2)]
    [InlineData("123abc", "Invalid number, expected digit but got: \"a\".", 4)]
    [InlineData("1_234", "Invalid number, expected digit but got: \"_\".", 2)]
    [InlineData("1\u00DF", "Unexpected character: U+00DF.", 2)]
    [InlineData("1.23f", "Invalid number, expected digit but got: \"f\".", 5)]
    [InlineData("1.234_5", "Invalid number, expected digit but got: \"_\".", 6)]
    [InlineData("-1.2e3e", "Invalid number, expected digit but got: \"e\".", 7)]
    public void Malformed_numbers_are_reported_where_they_go_wrong(string body, string description, int column)
    {
        Lex.AssertError(body, "Syntax Error: " + description, 1, column);
    }
}
