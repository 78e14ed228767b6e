using System.Globalization;
using System.Text;

namespace MusicSearch.GraphQL.Utilities;

/// <summary>
/// Formats numbers as JavaScript's <c>String(number)</c> does, so that messages and printed values quoting numbers
/// read the same as graphql-js's: shortest round-trip digits, plain notation from 1e-6 up to 1e21, "1e+21" beyond.
/// </summary>
public static class JsNumber
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var text = new StringBuilder();
        if (value < 0)
        {
            text.Append('-');
        }

        // ECMAScript Number::toString: k digits, the decimal point n places from the left of them.
        var k = digits.Length;
        var n = pointPosition;
        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            text.Append(digits[0]);
            if (k > 1)
            {
                text.Append('.').Append(digits, 1, k - 1);
            }

            text.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1));
        }

        return text.ToString();
    }

    /// <summary>The shortest digits that round-trip, without leading or trailing zeros, and where the point goes.</summary>
    private static (string Digits, int PointPosition) ShortestDigits(double positive)
    {
        // "E16" is not shortest; "R" is, but in either fixed or exponential form; normalise it.
        var roundTrip = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var exponentAt = roundTrip.IndexOf('E', StringComparison.Ordinal);
        if (exponentAt >= 0)
        {
            exponent = int.Parse(roundTrip.AsSpan(exponentAt + 1), CultureInfo.InvariantCulture);
            roundTrip = roundTrip[..exponentAt];
        }

        var pointAt = roundTrip.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = pointAt >= 0 ? pointAt : roundTrip.Length;
        var allDigits = roundTrip.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        return (digits, integerDigits - leadingZeros + exponent);
    }
}
