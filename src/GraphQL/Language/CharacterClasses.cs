namespace MusicSearch.GraphQL.Language;

/// <summary>
/// Character predicates of the lexical grammar. They take an <see cref="int"/> so that the lexer's end-of-input
/// marker (-1) is simply "no class".
/// </summary>
internal static class CharacterClasses
{
    public static bool IsDigit(int code) => code is >= '0' and <= '9';

    public static bool IsNameStart(int code) => code is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_';

    public static bool IsNameContinue(int code) => IsNameStart(code) || IsDigit(code);

    /// <summary>The value of a hexadecimal digit, or -1 when <paramref name="code"/> is not one.</summary>
    public static int HexValue(int code) => code switch
    {
        >= '0' and <= '9' => code - '0',
        >= 'A' and <= 'F' => code - 'A' + 10,
        >= 'a' and <= 'f' => code - 'a' + 10,
        _ => -1,
    };

    public static bool IsLeadingSurrogate(int code) => code is >= 0xD800 and <= 0xDBFF;

    public static bool IsTrailingSurrogate(int code) => code is >= 0xDC00 and <= 0xDFFF;
}
