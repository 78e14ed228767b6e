namespace MusicSearch.GraphQL.Language.Ast;

/// <summary>
/// A node of a parsed GraphQL document. Nodes are immutable; <see cref="Location"/> says where in the source the node
/// came from (a default location for nodes built in code).
/// </summary>
public abstract record Node
{
    /// <summary>Lets walkers dispatch with one switch instead of a chain of type tests.</summary>
    public abstract NodeKind Kind { get; }

    public Location Location { get; init; }
}

/// <summary>Where a node lies in its source: UTF-16 offsets of its first and past its last character, and the line
/// and column of its start.</summary>
public readonly record struct Location(int Start, int End, int Line, int Column)
{
    public SourceLocation StartLocation => new(Line, Column);
}
