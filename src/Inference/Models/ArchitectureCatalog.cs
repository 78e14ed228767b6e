namespace MusicSearch.Inference.Models;

/// <summary>The architectures this engine can load, by the name model.json gives them.</summary>
public static class ArchitectureCatalog
{
    private static readonly ModelArchitecture[] All = [new MusicFmArchitecture(), new MertArchitecture(), new Music2VecArchitecture(), new ClassicalArchitecture()];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static ModelArchitecture? Find(string name) => Array.Find(All, a => a.Name == name);
}
