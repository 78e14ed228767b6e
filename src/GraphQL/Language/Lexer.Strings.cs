using System.Text;
using static MusicSearch.GraphQL.Language.CharacterClasses;

namespace MusicSearch.GraphQL.Language;

public sealed partial class Lexer
{
    /// <summary>StringValue :: " StringCharacter* " — decodes escape sequences into the token value.</summary>
    private Token ReadString(int start)
    {
        var position = start + 1;
        var chunkStart = position;

        // Most strings have no escapes; their value is a plain substring and needs no builder.
        StringBuilder? decoded = null;

        while (position < _body.Length)
        {
            var code = _body[position];
            if (code == '"')
            {
                var value = decoded is null
                    ? _body[chunkStart..position]
                    : decoded.Append(_body, chunkStart, position - chunkStart).ToString();
                return CreateToken(TokenKind.StringValue, start, position + 1, value);
            }

            if (code == '\\')
            {
                decoded ??= new StringBuilder();
                decoded.Append(_body, chunkStart, position - chunkStart);
                position += AppendEscapeSequence(decoded, position);
                chunkStart = position;
                continue;
            }

            if (code is '\n' or '\r')
            {
                break;
            }

            var width = SourceCharacterWidth(position);
            if (width == 0)
            {
                throw SyntaxError(position, $"Invalid character within String: {DescribeCharacterAt(position)}.");
            }

            position += width;
        }

        throw SyntaxError(position, "Unterminated string.");
    }

    /// <summary>Decodes the escape sequence starting with the backslash at <paramref name="position"/>; returns its length.</summary>
    private int AppendEscapeSequence(StringBuilder decoded, int position)
    {
        if (CodeAt(position + 1) != 'u')
        {
            return AppendEscapedCharacter(decoded, position);
        }

        return CodeAt(position + 2) == '{'
            ? AppendVariableWidthUnicode(decoded, position)
            : AppendFixedWidthUnicode(decoded, position);
    }

    /// <summary>EscapedCharacter :: one of " \ / b f n r t</summary>
    private int AppendEscapedCharacter(StringBuilder decoded, int position)
    {
        char? character = CodeAt(position + 1) switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => null,
        };

        if (character is null)
        {
            throw SyntaxError(position, $"Invalid character escape sequence: \"{SliceUpTo(position, position + 2)}\".");
        }

        decoded.Append(character.Value);
        return 2;
    }

    /// <summary><c>\u{X...}</c>: any Unicode scalar value, written with 1 to 8 hexadecimal digits.</summary>
    private int AppendVariableWidthUnicode(StringBuilder decoded, int position)
    {
        // graphql-js caps the sequence at 12 characters (\u{00000000}) and accumulates the code point in a 32-bit
        // integer that turns negative on overflow; doing the same makes the invalid text in the message identical.
        const int MaxLength = 12;

        var codePoint = 0;
        var end = position + "\\u{".Length;
        while (end < position + MaxLength)
        {
            var code = CodeAt(end++);
            if (code == '}')
            {
                var hasDigits = end - position > "\\u{}".Length;
                if (!hasDigits || !Rune.IsValid(codePoint))
                {
                    break;
                }

                decoded.Append(char.ConvertFromUtf32(codePoint));
                return end - position;
            }

            codePoint = (codePoint << 4) | HexValue(code);
            if (codePoint < 0)
            {
                break;
            }
        }

        throw InvalidUnicodeEscape(position, end);
    }

    /// <summary>
    /// <c>\uXXXX</c>: a Unicode scalar value in four hexadecimal digits, or, as in JSON, a supplementary character
    /// written as an escaped leading surrogate immediately followed by an escaped trailing one. Any other surrogate
    /// is an error, since a string value may only contain scalar values.
    /// </summary>
    private int AppendFixedWidthUnicode(StringBuilder decoded, int position)
    {
        const int Length = 6;

        var code = ReadFourHexDigits(position + 2);
        if (Rune.IsValid(code))
        {
            decoded.Append((char)code);
            return Length;
        }

        if (IsLeadingSurrogate(code) && CodeAt(position + Length) == '\\' && CodeAt(position + Length + 1) == 'u')
        {
            var trailing = ReadFourHexDigits(position + Length + 2);
            if (IsTrailingSurrogate(trailing))
            {
                decoded.Append((char)code).Append((char)trailing);
                return 2 * Length;
            }
        }

        throw InvalidUnicodeEscape(position, position + Length);
    }

    /// <summary>The value of four hexadecimal digits at <paramref name="position"/>, or -1 if any is not one.</summary>
    private int ReadFourHexDigits(int position)
    {
        var value = 0;
        for (var i = position; i < position + 4; i++)
        {
            var digit = HexValue(CodeAt(i));
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private GraphQLSyntaxException InvalidUnicodeEscape(int start, int end) =>
        SyntaxError(start, $"Invalid Unicode escape sequence: \"{SliceUpTo(start, end)}\".");

    /// <summary>The text from <paramref name="start"/> to <paramref name="end"/>, cut short at the end of the body.</summary>
    private string SliceUpTo(int start, int end) => _body[start..Math.Min(end, _body.Length)];
}
