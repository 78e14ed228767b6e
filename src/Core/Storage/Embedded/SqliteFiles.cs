using Microsoft.Data.Sqlite;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>How the store opens its SQLite files, and how it deletes them.</summary>
internal static class SqliteFiles
{
    /// <summary>The schema version this code writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// A connection for writing. WAL with <c>synchronous=FULL</c> makes every committed transaction durable (the log is
    /// fsynced at commit) and keeps the file consistent whenever the process dies: an uncommitted tail is ignored on the
    /// next open. Readers keep reading the last commit while a write is under way.
    /// </summary>
    public static SqliteConnection OpenWriter(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static SqliteConnection OpenReader(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Creates the schema of a new file, or checks that an existing one was written by this code.</summary>
    public static void EnsureSchema(SqliteConnection connection, string path, string createStatements)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version == 0)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, createStatements, transaction);
            Execute(connection, $"PRAGMA user_version = {SchemaVersion}", transaction);
            transaction.Commit();
        }
        else if (version != SchemaVersion)
        {
            throw new TrackStoreException($"{path} has schema version {version}; this build reads version {SchemaVersion}");
        }
    }

    /// <summary>Closes the pooled connections of a file, so that it can be deleted or reopened from scratch.</summary>
    public static void ClearPool(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Deletes a database with its log and shared-memory files; the log first, so it can never meet a new file.</summary>
    public static void Delete(string path)
    {
        foreach (var suffix in (string[])["-wal", "-journal", "-shm", ""])
        {
            File.Delete(path + suffix);
        }
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
