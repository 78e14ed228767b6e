namespace MusicSearch.GraphQL.Language;

/// <summary>One lexical token.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Start">UTF-16 offset of its first character in the source body.</param>
/// <param name="End">UTF-16 offset just past its last character.</param>
/// <param name="Line">1-based line of <paramref name="Start"/>.</param>
/// <param name="Column">1-based column of <paramref name="Start"/>, counted in UTF-16 code units.</param>
/// <param name="Value">
/// The raw text of names, numbers and comments, the decoded text of strings and block strings; null for punctuators,
/// start and end of file.
/// </param>
public readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int Column, string? Value = null);
