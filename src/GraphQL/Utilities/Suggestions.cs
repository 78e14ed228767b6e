using System.Text;

namespace MusicSearch.GraphQL.Utilities;

/// <summary>
/// "Did you mean ...?" hints for misspelled names, chosen and worded as graphql-js does so that messages match:
/// options within an edit distance of 40 % of the input's length, closest first, at most five named.
/// </summary>
public static class Suggestions
{
    private const int MaxSuggestions = 5;

    /// <summary>The options close enough to <paramref name="input"/>, closest first, ties in natural order.</summary>
    public static IReadOnlyList<string> Closest(string input, IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var threshold = (int)Math.Floor(input.Length * 0.4) + 1;
        var distance = new LexicalDistance(input);
        var byDistance = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            if (distance.Measure(option, threshold) is { } measured)
            {
                byDistance[option] = measured;
            }
        }

        var sorted = byDistance.Keys.ToList();
        sorted.Sort((a, b) => byDistance[a] != byDistance[b] ? byDistance[a] - byDistance[b] : NaturalCompare(a, b));
        return sorted;
    }

    /// <summary>" Did you mean "a", "b", or "c"?" — or empty when there is nothing to suggest.</summary>
    /// <param name="suggestions">Names to quote, best first.</param>
    /// <param name="subject">Words placed before the names, e.g. "the enum value".</param>
    public static string DidYouMean(IReadOnlyList<string> suggestions, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        if (suggestions.Count == 0)
        {
            return string.Empty;
        }

        var message = new StringBuilder(" Did you mean ");
        if (subject is not null)
        {
            message.Append(subject).Append(' ');
        }

        var quoted = suggestions.Take(MaxSuggestions).Select(suggestion => $"\"{suggestion}\"").ToList();
        switch (quoted.Count)
        {
            case 1:
                message.Append(quoted[0]);
                break;
            case 2:
                message.Append(quoted[0]).Append(" or ").Append(quoted[1]);
                break;
            default:
                message.AppendJoin(", ", quoted.Take(quoted.Count - 1)).Append(", or ").Append(quoted[^1]);
                break;
        }

        return message.Append('?').ToString();
    }

    /// <summary>Compares strings with runs of digits compared as numbers ("a2" before "a10").</summary>
    public static int NaturalCompare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var aIndex = 0;
        var bIndex = 0;
        while (aIndex < a.Length && bIndex < b.Length)
        {
            var aChar = a[aIndex];
            var bChar = b[bIndex];
            if (char.IsAsciiDigit(aChar) && char.IsAsciiDigit(bChar))
            {
                var aNumber = ReadNumber(a, ref aIndex);
                var bNumber = ReadNumber(b, ref bIndex);
                if (aNumber != bNumber)
                {
                    return aNumber < bNumber ? -1 : 1;
                }

                continue;
            }

            if (aChar != bChar)
            {
                return aChar < bChar ? -1 : 1;
            }

            aIndex++;
            bIndex++;
        }

        return a.Length - b.Length;
    }

    /// <summary>Reads digits as graphql-js does: a leading zero ends the number, so "007" reads as 0, 0, 7.</summary>
    private static double ReadNumber(string text, ref int index)
    {
        double number = 0;
        do
        {
            number = (number * 10) + (text[index] - '0');
            index++;
        }
        while (index < text.Length && char.IsAsciiDigit(text[index]) && number > 0);

        return number;
    }

    /// <summary>Damerau-Levenshtein distance (optimal string alignment), case changes counting as one edit.</summary>
    private sealed class LexicalDistance(string input)
    {
        private readonly string _inputLowerCase = input.ToLowerInvariant();
        private readonly int[][] _rows = [new int[input.Length + 1], new int[input.Length + 1], new int[input.Length + 1]];

        public int? Measure(string option, int threshold)
        {
            if (input == option)
            {
                return 0;
            }

            var optionLowerCase = option.ToLowerInvariant();
            if (_inputLowerCase == optionLowerCase)
            {
                return 1;
            }

            var a = optionLowerCase;
            var b = _inputLowerCase;
            if (a.Length < b.Length)
            {
                (a, b) = (b, a);
            }

            if (a.Length - b.Length > threshold)
            {
                return null;
            }

            for (var j = 0; j <= b.Length; j++)
            {
                _rows[0][j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                var upRow = _rows[(i - 1) % 3];
                var currentRow = _rows[i % 3];
                var smallestCell = currentRow[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    var currentCell = Math.Min(Math.Min(upRow[j] + 1, currentRow[j - 1] + 1), upRow[j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        currentCell = Math.Min(currentCell, _rows[(i - 2) % 3][j - 2] + 1);
                    }

                    smallestCell = Math.Min(smallestCell, currentCell);
                    currentRow[j] = currentCell;
                }

                if (smallestCell > threshold)
                {
                    return null;
                }
            }

            var distance = _rows[a.Length % 3][b.Length];
            return distance <= threshold ? distance : null;
        }
    }
}
