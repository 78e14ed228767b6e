using YamlDotNet.RepresentationModel;

namespace MusicSearch.Deploy.Tests;

/// <summary>Reading YAML files as node trees (every document of a file), with short paths into them.</summary>
internal static class Yaml
{
    public static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }
        return [.. stream.Documents.Select(document => document.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: a document is not a mapping"))];
    }

    /// <summary>The node at a path of mapping keys, or null when any step is missing.</summary>
    public static YamlNode? Get(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }
        return node;
    }

    public static string? Text(this YamlNode? node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode mapping ? mapping.Children.Select(pair => (((YamlScalarNode)pair.Key).Value!, pair.Value)) : [];

    /// <summary>Labels of a mapping (e.g. <c>matchLabels</c>) as a dictionary.</summary>
    public static Dictionary<string, string> Labels(this YamlNode? node) =>
        node.Entries().ToDictionary(entry => entry.Key, entry => ((YamlScalarNode)entry.Value).Value!, StringComparer.Ordinal);

    /// <summary>Whether an image reference names a fixed version: a tag with a digit, never <c>latest</c>.</summary>
    public static bool IsPinned(string image)
    {
        var tag = image.Contains('@', StringComparison.Ordinal) ? "digest" : image[(image.LastIndexOf(':') + 1)..];
        return image.Contains(':', StringComparison.Ordinal) && tag != "latest" && tag.Any(char.IsAsciiDigit);
    }
}
