using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

/// <summary>
/// A recursive-descent parser for GraphQL documents (October 2021 grammar, plus the descriptions on operations,
/// fragments and variable definitions that graphql-js 16.15 accepts). Every node carries its location; the first
/// error throws <see cref="GraphQLSyntaxException"/> worded like graphql-js.
/// </summary>
/// <remarks>
/// The grammar is split by spec section: this file holds the token helpers, <c>Parser.Executable.cs</c> operations
/// and fragments, <c>Parser.Values.cs</c> values and type references, <c>Parser.TypeSystem.cs</c> the SDL.
/// </remarks>
public sealed partial class Parser
{
    private readonly Lexer _lexer;
    private readonly ParserOptions _options;
    private int _tokenCount;
    private int _depth;

    private Parser(Source source, ParserOptions? options)
    {
        ArgumentNullException.ThrowIfNull(source);
        _lexer = new Lexer(source);
        _options = options ?? ParserOptions.Default;
    }

    /// <summary>Parses a whole document.</summary>
    public static DocumentNode Parse(string body, ParserOptions? options = null) => Parse(new Source(body), options);

    /// <inheritdoc cref="Parse(string, ParserOptions?)"/>
    public static DocumentNode Parse(Source source, ParserOptions? options = null) =>
        new Parser(source, options).ParseDocument();

    /// <summary>Parses one value literal, which may contain variables (graphql-js <c>parseValue</c>).</summary>
    public static ValueNode ParseValue(string body, ParserOptions? options = null) =>
        new Parser(new Source(body), options).ParseWhole(parser => parser.ParseValueLiteral(isConst: false));

    /// <summary>Parses one constant value literal (graphql-js <c>parseConstValue</c>).</summary>
    public static ValueNode ParseConstValue(string body, ParserOptions? options = null) =>
        new Parser(new Source(body), options).ParseWhole(parser => parser.ParseValueLiteral(isConst: true));

    /// <summary>Parses a type reference such as <c>[String!]!</c> (graphql-js <c>parseType</c>).</summary>
    public static TypeNode ParseType(string body, ParserOptions? options = null) =>
        new Parser(new Source(body), options).ParseWhole(parser => parser.ParseTypeReference());

    private T ParseWhole<T>(Func<Parser, T> parse)
    {
        ExpectToken(TokenKind.StartOfFile);
        var result = parse(this);
        ExpectToken(TokenKind.EndOfFile);
        return result;
    }

    private Token Current => _lexer.Current;

    /// <summary>The location from <paramref name="start"/> to the end of the token read last.</summary>
    private Location LocationFrom(Token start) => new(start.Start, _lexer.Previous.End, start.Line, start.Column);

    private bool Peek(TokenKind kind) => Current.Kind == kind;

    private void Advance()
    {
        var token = _lexer.Advance();
        if (token.Kind != TokenKind.EndOfFile && ++_tokenCount > _options.MaxTokens)
        {
            throw Error(token, $"Document contains more than {_options.MaxTokens} tokens. Parsing aborted.");
        }
    }

    private Token ExpectToken(TokenKind kind)
    {
        var token = Current;
        if (token.Kind != kind)
        {
            throw Error(token, $"Expected {TokenDescriptions.Describe(kind)}, found {TokenDescriptions.Describe(token)}.");
        }

        Advance();
        return token;
    }

    private bool ExpectOptionalToken(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        Advance();
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!ExpectOptionalKeyword(keyword))
        {
            throw Error(Current, $"Expected \"{keyword}\", found {TokenDescriptions.Describe(Current)}.");
        }
    }

    private bool ExpectOptionalKeyword(string keyword)
    {
        if (Current.Kind != TokenKind.Name || Current.Value != keyword)
        {
            return false;
        }

        Advance();
        return true;
    }

    private GraphQLSyntaxException Unexpected(Token? token = null)
    {
        var at = token ?? Current;
        return Error(at, $"Unexpected {TokenDescriptions.Describe(at)}.");
    }

    private GraphQLSyntaxException Error(Token at, string description) => new(_lexer.Source, at.Start, description);

    /// <summary>open item* close — possibly empty (graphql-js <c>any</c>).</summary>
    private List<T> ZeroOrMore<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        ExpectToken(open);
        var items = new List<T>();
        while (!ExpectOptionalToken(close))
        {
            items.Add(item());
        }

        return items;
    }

    /// <summary>open item+ close (graphql-js <c>many</c>).</summary>
    private List<T> OneOrMore<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        ExpectToken(open);
        var items = new List<T>();
        do
        {
            items.Add(item());
        }
        while (!ExpectOptionalToken(close));

        return items;
    }

    /// <summary>(open item+ close)? — an absent list is empty (graphql-js <c>optionalMany</c>).</summary>
    private IReadOnlyList<T> OptionalOneOrMore<T>(TokenKind open, Func<T> item, TokenKind close) =>
        Peek(open) ? OneOrMore(open, item, close) : Array.Empty<T>();

    /// <summary>delimiter? item (delimiter item)* (graphql-js <c>delimitedMany</c>).</summary>
    private List<T> Delimited<T>(TokenKind delimiter, Func<T> item)
    {
        ExpectOptionalToken(delimiter);
        var items = new List<T>();
        do
        {
            items.Add(item());
        }
        while (ExpectOptionalToken(delimiter));

        return items;
    }

    /// <summary>Counts one level of nesting for the duration of a <c>using</c>; see <see cref="ParserOptions.MaxNestingDepth"/>.</summary>
    private NestingLevel Nest()
    {
        if (++_depth > _options.MaxNestingDepth)
        {
            throw Error(Current, $"Document nests more than {_options.MaxNestingDepth} levels deep. Parsing aborted.");
        }

        return new NestingLevel(this);
    }

    private readonly struct NestingLevel(Parser parser) : IDisposable
    {
        public void Dispose() => parser._depth--;
    }

    private NameNode ParseName()
    {
        var token = ExpectToken(TokenKind.Name);
        return new NameNode(token.Value!) { Location = LocationFrom(token) };
    }
}
