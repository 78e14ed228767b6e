namespace MusicSearch.GraphQL.Language;

public sealed partial class Lexer
{
    private const string TripleQuote = "\"\"\"";
    private const string EscapedTripleQuote = "\\\"\"\"";

    /// <summary>
    /// BlockString :: """ BlockStringCharacter* """ — no escapes except <c>\"""</c>; line terminators are allowed and
    /// the value is the spec's BlockStringValue() of the raw text.
    /// </summary>
    private Token ReadBlockString(int start)
    {
        var contentStart = start + TripleQuote.Length;
        var position = contentStart;
        var hasEscapedQuotes = false;

        // The token is located where it starts, so the lines it spans are counted here and applied only after the
        // token has been created.
        var line = _line;
        var lineStart = _lineStart;

        while (position < _body.Length)
        {
            if (IsTripleQuote(position))
            {
                var raw = _body[contentStart..position];
                if (hasEscapedQuotes)
                {
                    raw = raw.Replace(EscapedTripleQuote, TripleQuote, StringComparison.Ordinal);
                }

                var token = CreateToken(TokenKind.BlockString, start, position + TripleQuote.Length, BlockString.Value(raw));
                _line = line;
                _lineStart = lineStart;
                return token;
            }

            if (_body[position] == '\\' && IsTripleQuote(position + 1))
            {
                hasEscapedQuotes = true;
                position += EscapedTripleQuote.Length;
                continue;
            }

            var terminator = LineTerminators.LengthAt(_body, position);
            if (terminator > 0)
            {
                position += terminator;
                line++;
                lineStart = position;
                continue;
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
}
