namespace MusicSearch.GraphQL.Language;

/// <summary>The text of a GraphQL document plus a name that identifies it in error reports.</summary>
public sealed class Source
{
    public const string DefaultName = "GraphQL request";

    public Source(string body, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(name);
        Body = body;
        Name = name;
    }

    public string Body { get; }

    public string Name { get; }

    /// <summary>
    /// Converts a UTF-16 offset into a 1-based line and column. "\r\n", "\r" and "\n" each end a line;
    /// every other UTF-16 code unit (a byte order mark included) counts as one column.
    /// </summary>
    public SourceLocation GetLocation(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Body.Length);

        var line = 1;
        var lineStart = 0;
        var index = 0;
        while (index < position)
        {
            var terminator = LineTerminators.LengthAt(Body, index);
            if (terminator == 0)
            {
                index++;
                continue;
            }

            index += terminator;
            lineStart = index;
            line++;
        }

        return new SourceLocation(line, position + 1 - lineStart);
    }
}
