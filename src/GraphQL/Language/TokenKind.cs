namespace MusicSearch.GraphQL.Language;

/// <summary>The lexical token kinds of GraphQL (October 2021, section 2.1).</summary>
public enum TokenKind
{
    /// <summary>Start of file: the lexer's current token before the first call to Advance.</summary>
    StartOfFile,

    /// <summary>End of file: returned again on every call once the source is exhausted.</summary>
    EndOfFile,

    /// <summary><c>!</c></summary>
    Bang,

    /// <summary><c>$</c></summary>
    Dollar,

    /// <summary><c>&amp;</c></summary>
    Amp,

    /// <summary><c>(</c></summary>
    ParenLeft,

    /// <summary><c>)</c></summary>
    ParenRight,

    /// <summary><c>...</c></summary>
    Spread,

    /// <summary><c>:</c></summary>
    Colon,

    /// <summary><c>=</c></summary>
    Equals,

    /// <summary><c>@</c></summary>
    At,

    /// <summary><c>[</c></summary>
    BracketLeft,

    /// <summary><c>]</c></summary>
    BracketRight,

    /// <summary><c>{</c></summary>
    BraceLeft,

    /// <summary><c>|</c></summary>
    Pipe,

    /// <summary><c>}</c></summary>
    BraceRight,

    /// <summary>A name such as a field, type or keyword; the value is its text.</summary>
    Name,

    /// <summary>An integer; the value is its text, since its range depends on the type it is coerced to.</summary>
    IntValue,

    /// <summary>A number with a fraction or exponent; the value is its text.</summary>
    FloatValue,

    /// <summary>A quoted string; the token value is the decoded text.</summary>
    StringValue,

    /// <summary>A <c>"""</c> block string; the token value is the result of the spec's BlockStringValue().</summary>
    BlockString,

    /// <summary>A <c>#</c> comment; the value excludes the <c>#</c>. Only produced when the lexer is asked for comments.</summary>
    Comment,
}
