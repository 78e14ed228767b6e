using static MusicSearch.GraphQL.Language.CharacterClasses;

namespace MusicSearch.GraphQL.Language;

/// <summary>
/// Turns a <see cref="Source"/> into GraphQL tokens on demand, one <see cref="Advance"/> at a time, so that a parser
/// can stop at its first error without lexing the rest. Ignored tokens (byte order mark, white space, line
/// terminators, commas and, unless asked for, comments) never surface. Invalid input throws
/// <see cref="GraphQLSyntaxException"/> with graphql-js's wording and the offending character's location.
/// </summary>
/// <remarks>
/// Positions are UTF-16 offsets, like JavaScript string indexes, so offsets and columns agree with graphql-js even
/// for text outside the Basic Multilingual Plane. The reading methods live in partial files by token family:
/// <c>Lexer.Numbers.cs</c>, <c>Lexer.Strings.cs</c> and <c>Lexer.BlockStrings.cs</c>.
/// </remarks>
public sealed partial class Lexer
{
    /// <summary>What <see cref="CodeAt"/> returns past the end of the body; no character class contains it.</summary>
    private const int EndOfInput = -1;

    private readonly string _body;
    private readonly bool _includeComments;

    // Where the line of the next unread character begins; tokens derive their line and column from these.
    private int _line = 1;
    private int _lineStart;

    private Token? _lookahead;

    /// <param name="source">The document to read.</param>
    /// <param name="includeComments">Return <see cref="TokenKind.Comment"/> tokens instead of skipping them.</param>
    public Lexer(Source source, bool includeComments = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        _body = source.Body;
        _includeComments = includeComments;
        Current = new Token(TokenKind.StartOfFile, 0, 0, 1, 1);
        Previous = Current;
    }

    public Source Source { get; }

    /// <summary>The token most recently returned by <see cref="Advance"/>; StartOfFile before the first call.</summary>
    public Token Current { get; private set; }

    /// <summary>The token before <see cref="Current"/>; a parser uses its end as the end of the node it just read.</summary>
    public Token Previous { get; private set; }

    /// <summary>Moves to the next token and returns it. At the end of the source it keeps returning EndOfFile.</summary>
    public Token Advance()
    {
        var next = Lookahead();
        _lookahead = null;
        Previous = Current;
        Current = next;
        return next;
    }

    /// <summary>Returns the token after <see cref="Current"/> without moving to it.</summary>
    public Token Lookahead()
    {
        if (Current.Kind == TokenKind.EndOfFile)
        {
            return Current;
        }

        if (_lookahead is { } cached)
        {
            return cached;
        }

        var token = ReadToken(Current.End);
        while (token.Kind == TokenKind.Comment && !_includeComments)
        {
            token = ReadToken(token.End);
        }

        _lookahead = token;
        return token;
    }

    /// <summary>Skips ignored tokens from <paramref name="position"/> and reads the token that follows.</summary>
    private Token ReadToken(int position)
    {
        while (position < _body.Length)
        {
            var code = _body[position];
            switch (code)
            {
                case '\uFEFF' or ' ' or '\t' or ',':
                    position++;
                    continue;
                case '\n' or '\r':
                    position += LineTerminators.LengthAt(_body, position);
                    _line++;
                    _lineStart = position;
                    continue;
                case '#':
                    return ReadComment(position);
                case '"':
                    return IsTripleQuote(position) ? ReadBlockString(position) : ReadString(position);
                case '.' when CodeAt(position + 1) == '.' && CodeAt(position + 2) == '.':
                    return CreateToken(TokenKind.Spread, position, position + 3);
            }

            if (SingleCharacterPunctuator(code) is { } punctuator)
            {
                return CreateToken(punctuator, position, position + 1);
            }

            if (IsDigit(code) || code == '-')
            {
                return ReadNumber(position);
            }

            if (IsNameStart(code))
            {
                return ReadName(position);
            }

            throw UnexpectedCharacter(position);
        }

        return CreateToken(TokenKind.EndOfFile, _body.Length, _body.Length);
    }

    private static TokenKind? SingleCharacterPunctuator(char code) => code switch
    {
        '!' => TokenKind.Bang,
        '$' => TokenKind.Dollar,
        '&' => TokenKind.Amp,
        '(' => TokenKind.ParenLeft,
        ')' => TokenKind.ParenRight,
        ':' => TokenKind.Colon,
        '=' => TokenKind.Equals,
        '@' => TokenKind.At,
        '[' => TokenKind.BracketLeft,
        ']' => TokenKind.BracketRight,
        '{' => TokenKind.BraceLeft,
        '|' => TokenKind.Pipe,
        '}' => TokenKind.BraceRight,
        _ => null,
    };

    /// <summary>Name :: NameStart NameContinue* [lookahead != NameContinue]</summary>
    private Token ReadName(int start)
    {
        var position = start + 1;
        while (IsNameContinue(CodeAt(position)))
        {
            position++;
        }

        return CreateToken(TokenKind.Name, start, position, _body[start..position]);
    }

    /// <summary>Comment :: # CommentChar* — runs to the end of the line.</summary>
    private Token ReadComment(int start)
    {
        var position = start + 1;
        while (position < _body.Length && _body[position] is not ('\n' or '\r'))
        {
            var width = SourceCharacterWidth(position);
            if (width == 0)
            {
                // A lone surrogate is not a CommentChar; the comment ends and the next read reports it.
                break;
            }

            position += width;
        }

        return CreateToken(TokenKind.Comment, start, position, _body[(start + 1)..position]);
    }

    private Token CreateToken(TokenKind kind, int start, int end, string? value = null) =>
        new(kind, start, end, _line, 1 + start - _lineStart, value);

    /// <summary>The UTF-16 code unit at <paramref name="position"/>, or <see cref="EndOfInput"/> past the end.</summary>
    private int CodeAt(int position) => position < _body.Length ? _body[position] : EndOfInput;

    private bool IsTripleQuote(int position) =>
        CodeAt(position) == '"' && CodeAt(position + 1) == '"' && CodeAt(position + 2) == '"';

    /// <summary>
    /// How many code units the SourceCharacter (any Unicode scalar value) at <paramref name="position"/> spans:
    /// 1, or 2 for a surrogate pair. 0 means an unpaired surrogate, which is not a Unicode scalar value.
    /// </summary>
    private int SourceCharacterWidth(int position)
    {
        var code = _body[position];
        if (!char.IsSurrogate(code))
        {
            return 1;
        }

        return char.IsSurrogatePair(_body, position) ? 2 : 0;
    }

    private GraphQLSyntaxException UnexpectedCharacter(int position)
    {
        if (_body[position] == '\'')
        {
            return SyntaxError(position, "Unexpected single quote character ('), did you mean to use a double quote (\")?");
        }

        return SourceCharacterWidth(position) > 0
            ? SyntaxError(position, $"Unexpected character: {DescribeCharacterAt(position)}.")
            : SyntaxError(position, $"Invalid character: {DescribeCharacterAt(position)}.");
    }

    private GraphQLSyntaxException SyntaxError(int position, string description) => new(Source, position, description);

    /// <summary>
    /// Names the character at <paramref name="position"/> for an error message the way graphql-js does: printable
    /// ASCII in quotes, anything else as U+XXXX, and &lt;EOF&gt; past the end.
    /// </summary>
    private string DescribeCharacterAt(int position)
    {
        if (position >= _body.Length)
        {
            return "<EOF>";
        }

        int code = char.IsSurrogatePair(_body, position)
            ? char.ConvertToUtf32(_body[position], _body[position + 1])
            : _body[position];

        return code switch
        {
            '"' => "'\"'",
            >= 0x20 and <= 0x7E => $"\"{(char)code}\"",
            _ => $"U+{code:X4}",
        };
    }
}
