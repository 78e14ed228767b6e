using System.Text;

namespace MusicSearch.Core.Storage;

/// <summary>A collection: its name (derived from the model version, so two models never mix) and vector size.</summary>
public sealed record CollectionInfo(string Name, string ModelVersion, int Dimensions)
{
    public const int MaxDimensions = 8192;

    /// <summary>The collection name of a model version: <c>tracks_</c> + the version with unsafe characters replaced.</summary>
    public static string NameFor(string modelVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        if (modelVersion.Length > 128)
        {
            throw new ArgumentException("a model version must be at most 128 characters", nameof(modelVersion));
        }
        var name = new StringBuilder("tracks_", 7 + modelVersion.Length);
        foreach (var c in modelVersion)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }
        return name.ToString();
    }
}
