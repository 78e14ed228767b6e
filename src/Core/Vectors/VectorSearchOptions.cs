namespace MusicSearch.Core.Vectors;

/// <summary>How a search runs and which rows it may return. A row must pass both filters when both are given.</summary>
public sealed class VectorSearchOptions
{
    public static VectorSearchOptions Default { get; } = new();

    /// <summary>Threads scanning disjoint row ranges, each with its own top-k, merged at the end.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Rows scoring below this are never returned (inclusive bound).</summary>
    public float MinScore { get; init; } = float.NegativeInfinity;

    /// <summary>Only rows for which this returns true are scored. Called from the scanning threads.</summary>
    public Predicate<int>? Filter { get; init; }

    /// <summary>Only rows in this set are scored.</summary>
    public RowSet? AllowedRows { get; init; }

    internal bool Admits(int row) => (AllowedRows is null || AllowedRows.Contains(row)) && (Filter is null || Filter(row));

    internal bool Filters => AllowedRows is not null || Filter is not null;
}
