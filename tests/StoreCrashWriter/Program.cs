using System.Runtime.InteropServices;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.StoreCrashWriter;

// Usage: write DIRECTORY          — write batches until killed, printing "ack N" once N batches are durable;
//        fill DIRECTORY BYTES     — the same with every file limited to BYTES (RLIMIT_FSIZE, which binds root too),
//                                   until a write fails; then report what the store still serves.
if (args is not [("write" or "fill") and var mode, var directory, ..] || mode == "fill" && args.Length != 3)
{
    Console.Error.WriteLine("usage: write DIRECTORY | fill DIRECTORY BYTES");
    return 2;
}
if (mode == "fill")
{
    FileSizeLimit.Apply(long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}

await using var collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = directory, SearchThreads = 1 });
var store = await collections.OpenAsync(CrashBatches.ModelVersion, CrashBatches.Dimensions);
var acknowledged = 0;
while (true)
{
    try
    {
        await CrashBatches.WriteAsync(store, acknowledged);
    }
    catch (TrackStoreUnavailableException exception)
    {
        Console.WriteLine($"unavailable {exception.Message.ReplaceLineEndings(" ")}");
        break;
    }
    acknowledged++;
    Console.WriteLine($"ack {acknowledged}");
}

// Only a full disk gets here: the failed batch must be invisible, and the store must still serve reads.
var counts = await store.CountAsync();
Console.WriteLine($"indexed {counts.Indexed}");
var vector = CrashBatches.Expected(1).Values.First().Vector;
Console.WriteLine($"searchable {(await store.SearchAsync(SimilarityQuery.ForVector(vector, SimilarityQuery.MaxLimit))).Count}");
try
{
    await CrashBatches.WriteAsync(store, acknowledged);
    Console.WriteLine("written after failure");
}
catch (TrackStoreUnavailableException)
{
    Console.WriteLine("still unavailable");
}
return 0;

/// <summary>Caps the size of every file this process writes, so that a write past it fails with EFBIG like a full disk.</summary>
internal static partial class FileSizeLimit
{
    private const int FileSizeResource = 1; // RLIMIT_FSIZE
    private const int FileSizeSignal = 25;  // SIGXFSZ

    // Kept alive for the whole process: handling SIGXFSZ (rather than dying of it) makes the write fail with EFBIG.
    private static PosixSignalRegistration? s_handler;

    public static void Apply(long bytes)
    {
        s_handler = PosixSignalRegistration.Create((PosixSignal)FileSizeSignal, context => context.Cancel = true);
        var limit = new Limit { Current = (ulong)bytes, Maximum = (ulong)bytes };
        if (SetLimit(FileSizeResource, ref limit) != 0)
        {
            throw new InvalidOperationException($"setrlimit(RLIMIT_FSIZE) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, ref Limit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
