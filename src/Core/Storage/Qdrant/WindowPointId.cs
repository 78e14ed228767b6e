using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// The point id of window <c>index</c> of a track: a name-based UUID in a namespace of its own, named by the track's
/// point id and the index, so re-indexing a track overwrites its windows in place and no window id can equal a track's.
/// </summary>
internal static class WindowPointId
{
    private static readonly Guid Namespace = Guid.Parse("3d6f0a52-8c1e-4b7a-a9d4-51e2c7f08b36");

    public static Guid For(TrackId track, int index)
    {
        Span<byte> name = stackalloc byte[20];
        track.ToPointId().TryWriteBytes(name, bigEndian: true, out _);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(name[16..], index);
        return NameBasedUuid.Create(Namespace, name);
    }
}
