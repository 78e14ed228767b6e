using Microsoft.Data.Sqlite;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// <c>catalog.db</c>: which collections exist (the truth: a collection file without a row here is a leftover of an
/// interrupted create or drop) and which one is active. Every change is one durable transaction.
/// </summary>
internal sealed class CollectionCatalog : IDisposable
{
    private const string Schema = """
        CREATE TABLE collections (name TEXT PRIMARY KEY, model_version TEXT NOT NULL, dimensions INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE active (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), name TEXT NOT NULL REFERENCES collections (name));
        """;

    private readonly string _path;
    private readonly SqliteConnection _connection;

    private CollectionCatalog(string path, SqliteConnection connection) => (_path, _connection) = (path, connection);

    public static CollectionCatalog Open(string path)
    {
        var connectionString = SqliteFiles.ConnectionString(path);
        SqliteConnection? connection = null;
        try
        {
            connection = SqliteFiles.OpenWriter(connectionString);
            SqliteFiles.EnsureSchema(connection, path, Schema);
            return new CollectionCatalog(path, connection);
        }
        catch (Exception exception)
        {
            connection?.Dispose();
            SqliteFiles.ClearPool(connectionString);
            if (StoreErrors.IsStorageFailure(exception))
            {
                throw StoreErrors.Translate(exception, $"opening {path}");
            }
            throw;
        }
    }

    public CollectionInfo? Find(string name) => Guard("reading", () =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT model_version, dimensions FROM collections WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new CollectionInfo(name, reader.GetString(0), reader.GetInt32(1)) : null;
    });

    public IReadOnlyList<CollectionInfo> List() => Guard("reading", () =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name, model_version, dimensions FROM collections ORDER BY name";
        using var reader = command.ExecuteReader();
        var collections = new List<CollectionInfo>();
        while (reader.Read())
        {
            collections.Add(new CollectionInfo(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return collections;
    });

    public string? ActiveName() => Guard("reading", () => SqliteFiles.Scalar(_connection, "SELECT name FROM active") as string);

    public void Add(CollectionInfo info) => Guard("writing", () =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO collections (name, model_version, dimensions) VALUES ($name, $model, $dimensions)";
        command.Parameters.AddWithValue("$name", info.Name);
        command.Parameters.AddWithValue("$model", info.ModelVersion);
        command.Parameters.AddWithValue("$dimensions", info.Dimensions);
        return command.ExecuteNonQuery();
    });

    public void Remove(string name) => Guard("writing", () =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM collections WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery();
    });

    public void Activate(string name) => Guard("writing", () =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO active (singleton, name) VALUES (1, $name) ON CONFLICT (singleton) DO UPDATE SET name = excluded.name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery();
    });

    public void Dispose()
    {
        _connection.Dispose();
        SqliteFiles.ClearPool(_connection.ConnectionString);
    }

    private T Guard<T>(string action, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception exception) when (StoreErrors.IsStorageFailure(exception))
        {
            throw StoreErrors.Translate(exception, $"{action} {_path}");
        }
    }
}
