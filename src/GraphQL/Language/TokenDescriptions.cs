namespace MusicSearch.GraphQL.Language;

/// <summary>How syntax errors name tokens, in graphql-js's words: <c>"{"</c>, <c>Name "foo"</c>, <c>&lt;EOF&gt;</c>.</summary>
internal static class TokenDescriptions
{
    public static string Describe(Token token) =>
        token.Value is null ? Describe(token.Kind) : $"{Describe(token.Kind)} \"{token.Value}\"";

    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.StartOfFile => "<SOF>",
        TokenKind.EndOfFile => "<EOF>",
        TokenKind.Bang => "\"!\"",
        TokenKind.Dollar => "\"$\"",
        TokenKind.Amp => "\"&\"",
        TokenKind.ParenLeft => "\"(\"",
        TokenKind.ParenRight => "\")\"",
        TokenKind.Spread => "\"...\"",
        TokenKind.Colon => "\":\"",
        TokenKind.Equals => "\"=\"",
        TokenKind.At => "\"@\"",
        TokenKind.BracketLeft => "\"[\"",
        TokenKind.BracketRight => "\"]\"",
        TokenKind.BraceLeft => "\"{\"",
        TokenKind.Pipe => "\"|\"",
        TokenKind.BraceRight => "\"}\"",
        TokenKind.Name => "Name",
        TokenKind.IntValue => "Int",
        TokenKind.FloatValue => "Float",
        TokenKind.StringValue => "String",
        TokenKind.BlockString => "BlockString",
        TokenKind.Comment => "Comment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
