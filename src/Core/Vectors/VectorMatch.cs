namespace MusicSearch.Core.Vectors;

/// <summary>One search hit: a row of the <see cref="VectorMatrix"/> and its cosine similarity with the query.</summary>
public readonly record struct VectorMatch(int Row, float Score);
