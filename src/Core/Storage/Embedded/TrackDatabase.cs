using System.Globalization;
using Microsoft.Data.Sqlite;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// The SQLite file of one collection: every track's payload, state and vectors (the source of truth the in-memory index
/// is rebuilt from), removal tombstones, and a full-text index over title, artist and album. Writes go through one
/// connection, one transaction per batch; reads use pooled connections and see the last commit.
/// </summary>
internal sealed class TrackDatabase : IDisposable
{
    private const string Schema = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        -- status is NULL for a removed track: a tombstone that only remembers the version of the removal.
        CREATE TABLE tracks (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            status TEXT CHECK (status IN ('pending', 'indexed', 'failed')),
            track TEXT,
            attempts INTEGER NOT NULL,
            failure_code TEXT,
            failure_reason TEXT,
            model_version TEXT,
            indexed_at INTEGER,
            updated_at INTEGER NOT NULL,
            vector BLOB,
            windows BLOB);
        CREATE INDEX tracks_by_status ON tracks (status, id);
        -- rowid = tracks.seq; kept in step with tracks inside every write transaction.
        CREATE VIRTUAL TABLE tracks_text USING fts5 (title, artist, album, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
        """;

    private const string RecordColumns =
        "tracks.id, tracks.version, tracks.status, tracks.track, tracks.attempts, tracks.failure_code, tracks.failure_reason, " +
        "tracks.model_version, tracks.indexed_at, tracks.updated_at";

    private const int VectorColumn = 10;

    private readonly string _connectionString;
    private SqliteConnection? _writer;

    private TrackDatabase(string path, CollectionInfo info)
    {
        Path = path;
        Info = info;
        _connectionString = SqliteFiles.ConnectionString(path);
    }

    public string Path { get; }

    public CollectionInfo Info { get; }

    /// <summary>Opens (or creates) the file of a collection and checks that it holds that collection.</summary>
    public static TrackDatabase Open(string path, CollectionInfo info)
    {
        var database = new TrackDatabase(path, info);
        try
        {
            database.Initialise();
            return database;
        }
        catch (Exception exception)
        {
            database.Dispose();
            if (StoreErrors.IsStorageFailure(exception))
            {
                throw StoreErrors.Translate(exception, $"opening {path}");
            }
            throw;
        }
    }

    /// <summary>Applies a batch in one transaction; returns each change's outcome once the transaction is durable.</summary>
    public IReadOnlyList<WriteOutcome> Apply(IReadOnlyList<TrackChange> changes, DateTimeOffset now)
    {
        try
        {
            var writer = _writer ??= SqliteFiles.OpenWriter(_connectionString);
            using var transaction = writer.BeginTransaction();
            using var commands = new WriteCommands(writer, transaction);
            var outcomes = new WriteOutcome[changes.Count];
            for (var i = 0; i < changes.Count; i++)
            {
                outcomes[i] = commands.Apply(changes[i], Info, now);
            }
            transaction.Commit();
            return outcomes;
        }
        catch (Exception exception) when (StoreErrors.IsStorageFailure(exception))
        {
            // The connection may be left mid-transaction by a failed commit: start the next batch on a fresh one.
            _writer?.Dispose();
            _writer = null;
            throw StoreErrors.Translate(exception, $"writing to {Info.Name}");
        }
    }

    /// <summary>The vectors and payloads of every track that has vectors, as the in-memory index needs them.</summary>
    public TrackIndex LoadIndex() => Read("loading", connection =>
    {
        long tracks, windowBytes;
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*), COALESCE(SUM(length(windows)), 0) FROM tracks WHERE vector IS NOT NULL";
            using var totals = count.ExecuteReader();
            totals.Read();
            (tracks, windowBytes) = (totals.GetInt64(0), totals.GetInt64(1));
        }
        var windows = windowBytes / ((2 * sizeof(double)) + (Info.Dimensions * sizeof(float)));
        var index = new TrackIndex(Info.Dimensions, (int)tracks, (int)windows);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT track, vector, windows FROM tracks WHERE vector IS NOT NULL ORDER BY seq";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            index.Put(TrackJson.Read(reader.GetString(0)), ReadVectors(reader, 1));
        }
        return index;
    });

    public TrackRecord? Get(TrackId id, bool withVectors) => Read("reading a track", connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RecordColumns}, tracks.vector, tracks.windows FROM tracks WHERE id = $id AND status IS NOT NULL";
        command.Parameters.AddWithValue("$id", id.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRecord(reader, withVectors) : null;
    });

    public TrackPage List(TrackListQuery query) => Read("listing tracks", connection =>
    {
        using var command = connection.CreateCommand();
        var vectors = query.WithVectors ? ", tracks.vector, tracks.windows" : "";
        var status = query.Status is null ? "status IS NOT NULL" : "status = $status";
        var after = query.After is null ? "" : " AND id > $after";
        command.CommandText = $"SELECT {RecordColumns}{vectors} FROM tracks WHERE {status}{after} ORDER BY id LIMIT $limit";
        if (query.Status is { } wanted)
        {
            command.Parameters.AddWithValue("$status", StatusName(wanted));
        }
        if (query.After is { } cursor)
        {
            command.Parameters.AddWithValue("$after", cursor.Value);
        }
        // One row more than asked tells whether another page follows.
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var items = new List<TrackRecord>(query.Limit);
        using var reader = command.ExecuteReader();
        var more = false;
        while (reader.Read())
        {
            if (items.Count == query.Limit)
            {
                more = true;
                break;
            }
            items.Add(ReadRecord(reader, query.WithVectors));
        }
        return new TrackPage(items, more ? items[^1].Track.Id : null);
    });

    public StatusCounts Count() => Read("counting tracks", connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM tracks WHERE status IS NOT NULL GROUP BY status";
        using var reader = command.ExecuteReader();
        long pending = 0, indexed = 0, failed = 0;
        while (reader.Read())
        {
            var count = reader.GetInt64(1);
            switch (ParseStatus(reader.GetString(0)))
            {
                case TrackStatus.Pending:
                    pending = count;
                    break;
                case TrackStatus.Indexed:
                    indexed = count;
                    break;
                default:
                    failed = count;
                    break;
            }
        }
        return new StatusCounts(pending, indexed, failed);
    });

    /// <summary>Full-text matches of an FTS5 expression, best bm25 first, that pass <paramref name="filter"/>.</summary>
    public IReadOnlyList<TextMatch> SearchText(string expression, TrackFilter filter, int limit) => Read("searching text", connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RecordColumns}, bm25(tracks_text) FROM tracks_text JOIN tracks ON tracks.seq = tracks_text.rowid
            WHERE tracks_text MATCH $expression ORDER BY bm25(tracks_text), tracks.id
            """;
        command.Parameters.AddWithValue("$expression", expression);
        var matches = new List<TextMatch>();
        using var reader = command.ExecuteReader();
        while (matches.Count < limit && reader.Read())
        {
            var record = ReadRecord(reader, withVectors: false);
            if (filter.Matches(record.Track))
            {
                // bm25 is lower for better matches; the contract's scores are higher for better ones.
                matches.Add(new TextMatch(record, -reader.GetDouble(reader.FieldCount - 1)));
            }
        }
        return matches;
    });

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        SqliteFiles.ClearPool(_connectionString);
    }

    private static string StatusName(TrackStatus status) => status switch
    {
        TrackStatus.Pending => "pending",
        TrackStatus.Indexed => "indexed",
        TrackStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a track status"),
    };

    private static TrackStatus ParseStatus(string name) => name switch
    {
        "pending" => TrackStatus.Pending,
        "indexed" => TrackStatus.Indexed,
        "failed" => TrackStatus.Failed,
        _ => throw new TrackStoreException($"unknown stored status '{name}': the collection file is damaged"),
    };

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private void Initialise()
    {
        using var connection = SqliteFiles.OpenWriter(_connectionString);
        SqliteFiles.EnsureSchema(connection, Path, Schema);
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('model_version', $model), ('dimensions', $dimensions)";
            insert.Parameters.AddWithValue("$model", Info.ModelVersion);
            insert.Parameters.AddWithValue("$dimensions", Info.Dimensions.ToString(CultureInfo.InvariantCulture));
            insert.ExecuteNonQuery();
        }
        var model = SqliteFiles.Scalar(connection, "SELECT value FROM meta WHERE key = 'model_version'") as string;
        var dimensions = SqliteFiles.Scalar(connection, "SELECT value FROM meta WHERE key = 'dimensions'") as string;
        if (model != Info.ModelVersion || dimensions != Info.Dimensions.ToString(CultureInfo.InvariantCulture))
        {
            throw new TrackStoreException(
                $"{Path} holds model version '{model}' with {dimensions} dimensions, not '{Info.ModelVersion}' with {Info.Dimensions}");
        }
    }

    private T Read<T>(string action, Func<SqliteConnection, T> read)
    {
        try
        {
            using var connection = SqliteFiles.OpenReader(_connectionString);
            return read(connection);
        }
        catch (Exception exception) when (StoreErrors.IsStorageFailure(exception))
        {
            throw StoreErrors.Translate(exception, $"{action} in {Info.Name}");
        }
    }

    private TrackRecord ReadRecord(SqliteDataReader reader, bool withVectors)
    {
        var state = new TrackState(ParseStatus(reader.GetString(2)), reader.GetInt64(1), Time(reader.GetInt64(9)))
        {
            Attempts = reader.GetInt32(4),
            FailureCode = reader.IsDBNull(5) ? null : reader.GetString(5),
            FailureReason = reader.IsDBNull(6) ? null : reader.GetString(6),
            ModelVersion = reader.IsDBNull(7) ? null : reader.GetString(7),
            IndexedAt = reader.IsDBNull(8) ? null : Time(reader.GetInt64(8)),
        };
        var vectors = withVectors && !reader.IsDBNull(VectorColumn) ? ReadVectors(reader, VectorColumn) : null;
        return new TrackRecord(TrackJson.Read(reader.GetString(3)), state) { Vectors = vectors };
    }

    private TrackVectors ReadVectors(SqliteDataReader reader, int column) => new(
        VectorBlobs.DecodeVector(reader.GetFieldValue<byte[]>(column), Info.Dimensions),
        reader.IsDBNull(column + 1) ? [] : VectorBlobs.DecodeWindows(reader.GetFieldValue<byte[]>(column + 1), Info.Dimensions));

    /// <summary>The prepared statements of one write transaction.</summary>
    private sealed class WriteCommands : IDisposable
    {
        private readonly SqliteCommand _version;
        private readonly SqliteCommand _upsert;
        private readonly SqliteCommand _unindex;
        private readonly SqliteCommand _index;

        public WriteCommands(SqliteConnection connection, SqliteTransaction transaction)
        {
            _version = Command(connection, transaction, "SELECT version, status IS NULL FROM tracks WHERE id = $id", "$id");
            _upsert = Command(connection, transaction, """
                INSERT INTO tracks (id, version, status, track, attempts, failure_code, failure_reason, model_version, indexed_at,
                                    updated_at, vector, windows)
                VALUES ($id, $version, $status, $track, $attempts, $failure_code, $failure_reason, $model_version, $indexed_at,
                        $updated_at, $vector, $windows)
                ON CONFLICT (id) DO UPDATE SET
                    version = excluded.version, status = excluded.status, track = excluded.track, attempts = excluded.attempts,
                    failure_code = excluded.failure_code, failure_reason = excluded.failure_reason, updated_at = excluded.updated_at,
                    model_version = iif($keep_vectors, model_version, excluded.model_version),
                    indexed_at = iif($keep_vectors, indexed_at, excluded.indexed_at),
                    vector = iif($keep_vectors, vector, excluded.vector),
                    windows = iif($keep_vectors, windows, excluded.windows)
                RETURNING seq
                """, "$id", "$version", "$status", "$track", "$attempts", "$failure_code", "$failure_reason", "$model_version",
                "$indexed_at", "$updated_at", "$vector", "$windows", "$keep_vectors");
            _unindex = Command(connection, transaction, "DELETE FROM tracks_text WHERE rowid = $seq", "$seq");
            _index = Command(connection, transaction,
                "INSERT INTO tracks_text (rowid, title, artist, album) VALUES ($seq, $title, $artist, $album)", "$seq", "$title", "$artist", "$album");
        }

        public WriteOutcome Apply(TrackChange change, CollectionInfo info, DateTimeOffset now)
        {
            _version.Parameters["$id"].Value = change.Id.Value;
            using (var stored = _version.ExecuteReader())
            {
                if (stored.Read() && !change.Supersedes(stored.GetInt64(0), stored.GetBoolean(1)))
                {
                    return WriteOutcome.Stale;
                }
            }

            var track = change.Track;
            var vectors = change.Vectors;
            Set(_upsert, "$id", change.Id.Value);
            Set(_upsert, "$version", change.Version);
            Set(_upsert, "$status", change.Status is { } status ? StatusName(status) : null);
            Set(_upsert, "$track", track is null ? null : TrackJson.Write(track));
            Set(_upsert, "$attempts", change.Attempts);
            Set(_upsert, "$failure_code", change.FailureCode);
            Set(_upsert, "$failure_reason", change.FailureReason);
            Set(_upsert, "$model_version", vectors is null ? null : info.ModelVersion);
            Set(_upsert, "$indexed_at", vectors is null ? null : change.IndexedAt?.UtcTicks);
            Set(_upsert, "$updated_at", now.UtcTicks);
            Set(_upsert, "$vector", vectors is null ? null : VectorBlobs.Encode(vectors.Vector));
            Set(_upsert, "$windows", vectors is null ? null : VectorBlobs.Encode(vectors.Windows, info.Dimensions));
            Set(_upsert, "$keep_vectors", change.KeepsVectors);
            var seq = (long)_upsert.ExecuteScalar()!;

            _unindex.Parameters["$seq"].Value = seq;
            _unindex.ExecuteNonQuery();
            if (track is not null)
            {
                Set(_index, "$seq", seq);
                Set(_index, "$title", track.Title);
                Set(_index, "$artist", track.Artist);
                Set(_index, "$album", track.Album);
                _index.ExecuteNonQuery();
            }
            return WriteOutcome.Applied;
        }

        public void Dispose()
        {
            _version.Dispose();
            _upsert.Dispose();
            _unindex.Dispose();
            _index.Dispose();
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            return command;
        }

        private static void Set(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
