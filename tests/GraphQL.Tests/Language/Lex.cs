using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Language;

/// <summary>Shorthands that keep the lexer tests about inputs and expected tokens.</summary>
internal static class Lex
{
    /// <summary>Every token after StartOfFile, up to and including EndOfFile.</summary>
    public static List<Token> All(string body, bool includeComments = false)
    {
        var lexer = new Lexer(new Source(body), includeComments);
        var tokens = new List<Token>();
        do
        {
            tokens.Add(lexer.Advance());
        }
        while (tokens[^1].Kind != TokenKind.EndOfFile);

        return tokens;
    }

    /// <summary>The first token of <paramref name="body"/>.</summary>
    public static Token One(string body) => new Lexer(new Source(body)).Advance();

    /// <summary>The kinds of all tokens before EndOfFile.</summary>
    public static TokenKind[] Kinds(string body) => [.. All(body).SkipLast(1).Select(token => token.Kind)];

    /// <summary>Lexes <paramref name="body"/> to the end and asserts the error met on the way: message and location.</summary>
    public static void AssertError(string body, string message, int line, int column)
    {
        var error = Assert.Throws<GraphQLSyntaxException>(() => All(body, includeComments: true));
        Assert.Equal(message, error.Message);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }
}
