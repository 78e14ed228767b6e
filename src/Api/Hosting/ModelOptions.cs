namespace MusicSearch.Api.Hosting;

/// <summary>The model package the Api embeds with (configuration section <c>Model</c>): query-by-audio, and indexing in embedded mode.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>The package folder (relative paths are taken from the working directory). Loaded once and shared.</summary>
    public string Package { get; set; } = "";
}
