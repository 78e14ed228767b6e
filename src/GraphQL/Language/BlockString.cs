using System.Text;

namespace MusicSearch.GraphQL.Language;

/// <summary>The spec's BlockStringValue(): how the raw text between <c>"""</c> quotes becomes a string value.</summary>
public static class BlockString
{
    /// <summary>
    /// Removes the common indentation of all lines but the first (which sits right after the opening quotes and so
    /// has no meaningful indentation), drops leading and trailing blank lines and joins the rest with "\n".
    /// </summary>
    /// <param name="rawValue">The characters between the quotes, with <c>\"""</c> already turned into <c>"""</c>.</param>
    public static string Value(string rawValue)
    {
        ArgumentNullException.ThrowIfNull(rawValue);
        var lines = SplitLines(rawValue);

        int? commonIndent = null;
        int? firstContentLine = null;
        var lastContentLine = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = rawValue.AsSpan(lines[i]);
            var indent = LeadingWhiteSpace(line);
            if (indent == line.Length)
            {
                continue;
            }

            firstContentLine ??= i;
            lastContentLine = i;
            if (i > 0 && (commonIndent is null || indent < commonIndent))
            {
                commonIndent = indent;
            }
        }

        if (firstContentLine is null)
        {
            return string.Empty;
        }

        var value = new StringBuilder(rawValue.Length);
        for (var i = firstContentLine.Value; i <= lastContentLine; i++)
        {
            var line = rawValue.AsSpan(lines[i]);
            if (i > 0)
            {
                // A blank line may be shorter than the common indentation; it then loses all of it.
                line = line[Math.Min(commonIndent ?? 0, line.Length)..];
            }

            if (i > firstContentLine)
            {
                value.Append('\n');
            }

            value.Append(line);
        }

        return value.ToString();
    }

    private static List<Range> SplitLines(string text)
    {
        var lines = new List<Range>();
        var lineStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var terminator = LineTerminators.LengthAt(text, position);
            if (terminator == 0)
            {
                position++;
                continue;
            }

            lines.Add(lineStart..position);
            position += terminator;
            lineStart = position;
        }

        lines.Add(lineStart..text.Length);
        return lines;
    }

    private static int LeadingWhiteSpace(ReadOnlySpan<char> line)
    {
        var count = 0;
        while (count < line.Length && line[count] is ' ' or '\t')
        {
            count++;
        }

        return count;
    }
}
