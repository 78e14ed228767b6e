namespace MusicSearch.GraphQL.Language;

/// <summary>A 1-based line and column in a <see cref="Source"/>, as reported in GraphQL error "locations".</summary>
public readonly record struct SourceLocation(int Line, int Column);
