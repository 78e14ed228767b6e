using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

public class PositionTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Each_line_terminator_starts_a_new_line(string terminator)
    {
        var body = $"a{terminator}  b{terminator}{terminator}c";

        var tokens = Lex.All(body);

        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((2, 3), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((4, 1), (tokens[2].Line, tokens[2].Column));
        Assert.Equal(body.Length - 1, tokens[2].Start);
    }

    [Fact]
    public void Carriage_return_then_line_feed_is_one_line_break_but_line_feed_then_carriage_return_is_two()
    {
        Assert.Equal(2, Lex.One("\r\nx").Line);
        Assert.Equal(3, Lex.One("\n\rx").Line);
    }

    [Fact]
    public void Tokens_report_start_and_end_offsets()
    {
        var tokens = Lex.All("  name  123 ");

        Assert.Equal(new Token(TokenKind.Name, 2, 6, 1, 3, "name"), tokens[0]);
        Assert.Equal(new Token(TokenKind.IntValue, 8, 11, 1, 9, "123"), tokens[1]);
        Assert.Equal(new Token(TokenKind.EndOfFile, 12, 12, 1, 13), tokens[2]);
    }

    [Fact]
    public void A_byte_order_mark_occupies_a_column()
    {
        // graphql-js counts it too, so columns agree with the reference implementation.
        Assert.Equal(new Token(TokenKind.Name, 1, 4, 1, 2, "foo"), Lex.One("\uFEFFfoo"));
        Assert.Equal(new Token(TokenKind.Name, 3, 4, 2, 1, "x"), Lex.One("\uFEFF\r\nx"));
    }

    [Fact]
    public void Columns_count_utf16_code_units()
    {
        var tokens = Lex.All("\"\uD83C\uDFB5\" x");

        Assert.Equal(new Token(TokenKind.Name, 5, 6, 1, 6, "x"), tokens[1]);
    }

    [Fact]
    public void A_block_string_is_located_at_its_start_and_moves_the_following_tokens_down()
    {
        var tokens = Lex.All("x \"\"\"\n  a\r\n  b\r\"\"\" y\nz");

        Assert.Equal(new Token(TokenKind.BlockString, 2, 18, 1, 3, "a\nb"), tokens[1]);
        Assert.Equal(new Token(TokenKind.Name, 19, 20, 4, 5, "y"), tokens[2]);
        Assert.Equal(new Token(TokenKind.Name, 21, 22, 5, 1, "z"), tokens[3]);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 2, 2)]
    [InlineData(5, 3, 1)]
    [InlineData(6, 3, 2)]
    [InlineData(7, 4, 1)]
    [InlineData(8, 4, 2)]
    public void Source_converts_offsets_to_lines_and_columns(int position, int line, int column)
    {
        var source = new Source("a\nb\r\nc\rd");

        Assert.Equal(new SourceLocation(line, column), source.GetLocation(position));
    }

    [Fact]
    public void Source_has_a_default_name()
    {
        Assert.Equal("GraphQL request", new Source("{}").Name);
        Assert.Equal("schema.graphql", new Source("{}", "schema.graphql").Name);
    }
}
