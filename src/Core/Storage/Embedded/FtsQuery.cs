using System.Text;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// Turns a user's words into an FTS5 expression that means exactly "all these words": each word becomes a quoted
/// string (quotes doubled), so operators (AND, OR, NOT, NEAR), column filters, <c>*</c>, <c>^</c> and parentheses are
/// only ever text. The last word matches as a prefix, for search-as-you-type.
/// </summary>
internal static class FtsQuery
{
    /// <summary>The expression, or null when no word has a letter or digit (the tokenizer would see no token).</summary>
    public static string? From(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(word => word.Any(char.IsLetterOrDigit)).ToList();
        if (words.Count == 0)
        {
            return null;
        }
        var expression = new StringBuilder();
        foreach (var word in words)
        {
            if (expression.Length > 0)
            {
                expression.Append(' ');
            }
            expression.Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        return expression.Append(" *").ToString();
    }
}
