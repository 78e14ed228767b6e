using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

public class UnexpectedCharacterTests
{
    [Theory]
    [InlineData("?", "Unexpected character: \"?\".")]
    [InlineData("~", "Unexpected character: \"~\".")]
    [InlineData(".", "Unexpected character: \".\".")]
    [InlineData("..", "Unexpected character: \".\".")]
    [InlineData("\\", "Unexpected character: \"\\\".")]
    [InlineData("'", "Unexpected single quote character ('), did you mean to use a double quote (\")?")]
    [InlineData("\u0000", "Unexpected character: U+0000.")]
    [InlineData("\u0007", "Unexpected character: U+0007.")]
    [InlineData("\u000B", "Unexpected character: U+000B.")]
    [InlineData("\u007F", "Unexpected character: U+007F.")]
    [InlineData("\u00A0", "Unexpected character: U+00A0.")]
    [InlineData("\u203B", "Unexpected character: U+203B.")]
    [InlineData("\u2028", "Unexpected character: U+2028.")]
    [InlineData("\uD83C\uDFB5", "Unexpected character: U+1F3B5.")]
    public void Characters_outside_the_grammar_are_reported(string body, string description)
    {
        Lex.AssertError(body, "Syntax Error: " + description, 1, 1);
    }

    [Fact]
    public void Unpaired_surrogates_are_invalid_characters()
    {
        // Facts rather than InlineData: xunit's theory data cannot carry lone surrogates.
        Lex.AssertError("\uD83C", "Syntax Error: Invalid character: U+D83C.", 1, 1);
        Lex.AssertError("\uDFB5", "Syntax Error: Invalid character: U+DFB5.", 1, 1);
        Lex.AssertError("a \uD83Cx", "Syntax Error: Invalid character: U+D83C.", 1, 3);
        Lex.AssertError("\uDFB5\uD83C", "Syntax Error: Invalid character: U+DFB5.", 1, 1);
    }

    [Fact]
    public void The_error_is_located_at_the_offending_character()
    {
        Lex.AssertError("{\r\n  a\n  b ?\n}", "Syntax Error: Unexpected character: \"?\".", 3, 5);
    }

    [Fact]
    public void Two_dots_and_a_name_are_not_a_spread()
    {
        Lex.AssertError("{ ..a }", "Syntax Error: Unexpected character: \".\".", 1, 3);
    }

    [Fact]
    public void The_exception_carries_the_source_the_offset_and_the_bare_description()
    {
        var source = new Source("a\n ?", "query.graphql");

        var lexer = new Lexer(source);
        lexer.Advance();

        var error = Assert.Throws<GraphQLSyntaxException>(() => lexer.Advance());

        Assert.Same(source, error.GraphQLSource);
        Assert.Equal(3, error.Position);
        Assert.Equal(new SourceLocation(2, 2), error.Location);
        Assert.Equal("Unexpected character: \"?\".", error.Description);
        Assert.Equal("Syntax Error: Unexpected character: \"?\".", error.Message);
    }
}
