using System.Security.Cryptography;

namespace MusicSearch.Core.Catalog;

/// <summary>Version-5 (SHA-1, name-based) UUIDs of RFC 9562: the same namespace and name give the same id everywhere.</summary>
public static class NameBasedUuid
{
    public static Guid Create(Guid namespaceId, ReadOnlySpan<byte> name)
    {
        var input = new byte[16 + name.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input.AsSpan(16));
#pragma warning disable CA5350 // RFC 9562 defines version-5 UUIDs with SHA-1; this is an identifier, not a security use.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
