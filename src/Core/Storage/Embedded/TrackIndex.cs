using MusicSearch.Core.Catalog;
using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// The searchable part of a collection in memory: one matrix row per track that has vectors, one row per window, and
/// the payload of each row for filtering. Rows are append-only; a replaced or removed track leaves a dead row (null
/// payload) that searches skip, until <see cref="Compacted"/> rebuilds the matrices without them.
/// Not thread-safe: the store reads it under a read lock and changes it under the write lock.
/// </summary>
internal sealed class TrackIndex
{
    private readonly List<IndexedTrack?> _rows;
    private readonly Dictionary<TrackId, int> _rowOf;
    private readonly List<int> _windowOwners;
    private readonly List<(double Start, double Duration)> _windowSpans;
    private int _liveWindows;
    private int _calibratedRows;

    public TrackIndex(int dimensions, int trackCapacity = 0, int windowCapacity = 0)
    {
        Tracks = new VectorMatrix(dimensions, trackCapacity);
        Windows = new VectorMatrix(dimensions, windowCapacity);
        _rows = new(trackCapacity);
        _rowOf = new(trackCapacity);
        _windowOwners = new(windowCapacity);
        _windowSpans = new(windowCapacity);
    }

    public VectorMatrix Tracks { get; }

    public VectorMatrix Windows { get; }

    public int LiveTracks => _rowOf.Count;

    public bool HasDeadRows => _rows.Count > _rowOf.Count;

    /// <summary>Whether int8 codes exist and were calibrated on at least half of the rows now present.</summary>
    public bool HasFreshInt8Codes => _calibratedRows > 0 && Tracks.Count < 2 * _calibratedRows;

    /// <summary>The track of a row, or null when the row is dead.</summary>
    public IndexedTrack? TrackAt(int row) => _rows[row];

    public bool TryGetRow(TrackId id, out int row) => _rowOf.TryGetValue(id, out row);

    /// <summary>The track row a window row belongs to.</summary>
    public int WindowOwner(int windowRow) => _windowOwners[windowRow];

    public (double Start, double Duration) WindowSpan(int windowRow) => _windowSpans[windowRow];

    /// <summary>Adds a track with its vectors, replacing any earlier vectors of the same track.</summary>
    public void Put(Track track, TrackVectors vectors)
    {
        Remove(track.Id);
        var row = Tracks.Count;
        var firstWindow = Windows.Count;
        foreach (var window in vectors.Windows)
        {
            Windows.Add(window.Vector);
            _windowOwners.Add(row);
            _windowSpans.Add((window.StartSeconds, window.DurationSeconds));
        }
        Tracks.Add(vectors.Vector);
        _rows.Add(new IndexedTrack(track, firstWindow, vectors.Windows.Count));
        _rowOf.Add(track.Id, row);
        _liveWindows += vectors.Windows.Count;
    }

    /// <summary>Replaces the payload of a track that keeps its vectors; nothing happens to a track without vectors.</summary>
    public void UpdatePayload(Track track)
    {
        if (_rowOf.TryGetValue(track.Id, out var row))
        {
            _rows[row] = _rows[row]!.WithTrack(track);
        }
    }

    public void Remove(TrackId id)
    {
        if (_rowOf.Remove(id, out var row))
        {
            _liveWindows -= _rows[row]!.WindowCount;
            _rows[row] = null;
        }
    }

    /// <summary>Whether dead rows (or windows) outnumber both the live ones and <paramref name="minimum"/>.</summary>
    public bool NeedsCompaction(int minimum)
    {
        var deadRows = _rows.Count - _rowOf.Count;
        var deadWindows = Windows.Count - _liveWindows;
        return deadRows > Math.Max(minimum, _rowOf.Count) || deadWindows > Math.Max(minimum, _liveWindows);
    }

    /// <summary>A copy holding only the live rows, in the same order, with int8 codes recalibrated if they were in use.</summary>
    public TrackIndex Compacted()
    {
        var compacted = new TrackIndex(Tracks.Dimensions, _rowOf.Count, _liveWindows);
        for (var row = 0; row < _rows.Count; row++)
        {
            if (_rows[row] is not { } track)
            {
                continue;
            }
            var newRow = compacted.Tracks.Count;
            var firstWindow = compacted.Windows.Count;
            for (var window = track.FirstWindow; window < track.FirstWindow + track.WindowCount; window++)
            {
                compacted.Windows.Add(Windows.Row(window));
                compacted._windowOwners.Add(newRow);
                compacted._windowSpans.Add(_windowSpans[window]);
            }
            compacted.Tracks.Add(Tracks.Row(row));
            compacted._rows.Add(track.WithFirstWindow(firstWindow));
            compacted._rowOf.Add(track.Track.Id, newRow);
        }
        compacted._liveWindows = _liveWindows;
        if (_calibratedRows > 0 && compacted.Tracks.Count > 0)
        {
            compacted.CalibrateInt8Codes();
        }
        return compacted;
    }

    /// <summary>
    /// (Re)computes the int8 codes of the track matrix from the rows present. Rows added later are encoded with the same
    /// scales, so the codes are recalibrated once the matrix has doubled since.
    /// </summary>
    public void CalibrateInt8Codes()
    {
        Tracks.EnableInt8Codes();
        _calibratedRows = Tracks.Count;
    }
}
