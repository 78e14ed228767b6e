using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

/// <summary>How a parser walks the token stream: Current, Previous, Advance and Lookahead.</summary>
public class LexerNavigationTests
{
    [Fact]
    public void A_new_lexer_stands_on_start_of_file()
    {
        var lexer = new Lexer(new Source("a"));

        Assert.Equal(new Token(TokenKind.StartOfFile, 0, 0, 1, 1), lexer.Current);
        Assert.Equal(lexer.Current, lexer.Previous);
    }

    [Fact]
    public void Advance_moves_current_to_previous()
    {
        var lexer = new Lexer(new Source("a b"));

        var a = lexer.Advance();
        var b = lexer.Advance();

        Assert.Equal("a", a.Value);
        Assert.Equal("b", b.Value);
        Assert.Equal(b, lexer.Current);
        Assert.Equal(a, lexer.Previous);
    }

    [Fact]
    public void Lookahead_peeks_without_moving()
    {
        var lexer = new Lexer(new Source("a\nb"));
        lexer.Advance();

        var peeked = lexer.Lookahead();

        Assert.Equal(new Token(TokenKind.Name, 2, 3, 2, 1, "b"), peeked);
        Assert.Equal(peeked, lexer.Lookahead());
        Assert.Equal("a", lexer.Current.Value);
        Assert.Equal(peeked, lexer.Advance());
        Assert.Equal(TokenKind.EndOfFile, lexer.Lookahead().Kind);
    }

    [Fact]
    public void End_of_file_repeats()
    {
        var lexer = new Lexer(new Source("a"));
        lexer.Advance();

        var end = lexer.Advance();

        Assert.Equal(new Token(TokenKind.EndOfFile, 1, 1, 1, 2), end);
        Assert.Equal(end, lexer.Advance());
        Assert.Equal(end, lexer.Lookahead());
        Assert.Equal(end, lexer.Previous);
    }

    [Fact]
    public void Lookahead_skips_comments_unless_they_are_requested()
    {
        Assert.Equal("b", new Lexer(new Source("#x\n#y\nb")).Lookahead().Value);
        Assert.Equal(TokenKind.Comment, new Lexer(new Source("#x\nb"), includeComments: true).Lookahead().Kind);
    }

    [Fact]
    public void Errors_surface_only_when_the_lexer_reaches_them()
    {
        var lexer = new Lexer(new Source("a b ?"));

        Assert.Equal("a", lexer.Advance().Value);
        Assert.Equal("b", lexer.Advance().Value);
        Assert.Throws<GraphQLSyntaxException>(() => lexer.Lookahead());
    }
}
