using static MusicSearch.GraphQL.Language.CharacterClasses;

namespace MusicSearch.GraphQL.Language;

public sealed partial class Lexer
{
    /// <summary>
    /// IntValue :: IntegerPart [lookahead != {Digit, ., NameStart}]
    /// FloatValue :: IntegerPart FractionalPart? ExponentPart? [lookahead != {Digit, ., NameStart}]
    /// IntegerPart :: -? 0 | -? NonZeroDigit Digit*
    /// </summary>
    private Token ReadNumber(int start)
    {
        var position = start;
        var isFloat = false;

        if (CodeAt(position) == '-')
        {
            position++;
        }

        if (CodeAt(position) == '0')
        {
            position++;
            if (IsDigit(CodeAt(position)))
            {
                throw SyntaxError(position, $"Invalid number, unexpected digit after 0: {DescribeCharacterAt(position)}.");
            }
        }
        else
        {
            position = ReadDigits(position);
        }

        if (CodeAt(position) == '.')
        {
            isFloat = true;
            position = ReadDigits(position + 1);
        }

        if (CodeAt(position) is 'e' or 'E')
        {
            isFloat = true;
            position++;
            if (CodeAt(position) is '+' or '-')
            {
                position++;
            }

            position = ReadDigits(position);
        }

        // The lookahead restriction: "1.2.3", "0x1" or "1e" must not lex as a number followed by something else.
        if (CodeAt(position) == '.' || IsNameStart(CodeAt(position)))
        {
            throw ExpectedDigit(position);
        }

        return CreateToken(isFloat ? TokenKind.FloatValue : TokenKind.IntValue, start, position, _body[start..position]);
    }

    /// <summary>Reads Digit+ and returns the position after the last digit.</summary>
    private int ReadDigits(int start)
    {
        if (!IsDigit(CodeAt(start)))
        {
            throw ExpectedDigit(start);
        }

        var position = start + 1;
        while (IsDigit(CodeAt(position)))
        {
            position++;
        }

        return position;
    }

    private GraphQLSyntaxException ExpectedDigit(int position) =>
        SyntaxError(position, $"Invalid number, expected digit but got: {DescribeCharacterAt(position)}.");
}
