namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>Makes broken copies of good files, deterministically.</summary>
internal static class DamagedFiles
{
    public static async Task TruncateAsync(string source, string destination)
    {
        var bytes = await File.ReadAllBytesAsync(source);
        await File.WriteAllBytesAsync(destination, bytes[..(bytes.Length / 2)]);
    }

    /// <summary>Inserts random bytes halfway through, pushing the rest of the file back.</summary>
    public static async Task SpliceGarbageAsync(string source, string destination, int garbageLength = 2048)
    {
        var bytes = await File.ReadAllBytesAsync(source);
        var middle = bytes.Length / 2;
        await File.WriteAllBytesAsync(destination, [.. bytes[..middle], .. RandomBytes(garbageLength), .. bytes[middle..]]);
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
#pragma warning disable CA5394 // Seeded on purpose: the same garbage every run, not security.
        new Random(1234).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }
}
