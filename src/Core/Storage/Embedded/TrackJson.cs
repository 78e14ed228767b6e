using System.Text.Json;
using System.Text.Json.Serialization;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>The stored form of a track's payload: JSON, so that payload fields added later need no schema change.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Track))]
internal sealed partial class TrackJson : JsonSerializerContext
{
    public static string Write(Track track) => JsonSerializer.Serialize(track, Default.Track);

    public static Track Read(string json) =>
        JsonSerializer.Deserialize(json, Default.Track) ?? throw new TrackStoreException("a stored track payload is null: the collection file is damaged");
}
