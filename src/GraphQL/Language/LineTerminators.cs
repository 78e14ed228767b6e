namespace MusicSearch.GraphQL.Language;

/// <summary>The spec's LineTerminator: "\n", "\r\n" or a lone "\r".</summary>
internal static class LineTerminators
{
    /// <summary>How many code units the line terminator at <paramref name="position"/> spans; 0 if there is none.</summary>
    public static int LengthAt(ReadOnlySpan<char> text, int position) => text[position] switch
    {
        '\n' => 1,
        '\r' => position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1,
        _ => 0,
    };
}
