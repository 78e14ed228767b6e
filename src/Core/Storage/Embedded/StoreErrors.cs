using Microsoft.Data.Sqlite;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>Turns SQLite and file-system failures into the store contract's exceptions.</summary>
internal static class StoreErrors
{
    // Primary result codes (https://sqlite.org/rescode.html) that describe the machine, not the data: retrying may work.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int NoMemory = 7;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CannotOpen = 14;
    private const int Protocol = 15;

    public static bool IsStorageFailure(Exception exception) => exception is SqliteException or IOException or UnauthorizedAccessException;

    public static TrackStoreException Translate(Exception exception, string action) => exception switch
    {
        SqliteException { SqliteErrorCode: Busy or Locked or NoMemory or ReadOnly or IoError or Full or CannotOpen or Protocol } sqlite =>
            new TrackStoreUnavailableException($"{action} failed: {sqlite.Message}", sqlite),
        SqliteException sqlite => new TrackStoreException($"{action} failed: {sqlite.Message}", sqlite),
        _ => new TrackStoreUnavailableException($"{action} failed: {exception.Message}", exception),
    };
}
