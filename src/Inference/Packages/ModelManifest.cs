using System.Text.Json;
using MusicSearch.Inference.Models;

namespace MusicSearch.Inference.Packages;

public enum FrontendType
{
    /// <summary>Log-mel spectrogram computed from the waveform (MusicFM).</summary>
    Mel,

    /// <summary>Raw waveform into a convolutional feature encoder (MERT, music2vec).</summary>
    Waveform,
}

public enum NormalizationType
{
    None,

    /// <summary>One scalar mean/std pair over the whole training corpus, applied to the frontend output.</summary>
    Global,

    /// <summary>Each clip's waveform scaled to zero mean and unit variance.</summary>
    PerClip,
}

/// <summary>Parameters of the mel frontend (MODEL_SPEC §1.2); defaults are torchaudio's.</summary>
public sealed record MelFrontend(
    int NFft,
    int WinLength,
    int HopLength,
    int NMels,
    double FMin,
    double FMax,
    double Power,
    string MelScale,
    bool Center,
    string PadMode,
    double DbFloor,
    bool DropLastFrame);

/// <param name="Type">What the frontend output (or, for <see cref="NormalizationType.PerClip"/>, the waveform) is normalised with.</param>
/// <param name="Mean">The global mean subtracted from the dB mel (0 unless global).</param>
/// <param name="Std">The global standard deviation the dB mel is divided by (1 unless global).</param>
/// <param name="LevelEpsilon">
/// When set (musicfm's <c>normalization.waveform</c> block), each clip's waveform is first standardised,
/// (x − mean)/√(var + ε), so that playback level does not reach the model; ε caps the gain at 1/√ε.
/// </param>
public sealed record Normalization(NormalizationType Type, double Mean, double Std, double? LevelEpsilon = null);

/// <summary>The embedding definition a package recommends (ARCHITECTURE.md §5).</summary>
public sealed record EmbeddingDefaults(int Layer, string Pooling, double WindowSeconds, double HopSeconds, double MinWindowSeconds);

/// <summary>
/// model.json: everything needed to run a package's weights. Parsing validates every field and names the
/// offending one; the architecture validates its own <c>config</c> block.
/// </summary>
public sealed record ModelManifest(
    int FormatVersion,
    ModelArchitecture Architecture,
    ArchitectureConfig Config,
    string Version,
    string WeightsFile,
    string? WeightsSha256,
    int SampleRate,
    FrontendType FrontendType,
    MelFrontend? Mel,
    Normalization Normalization,
    EmbeddingDefaults Embedding,
    IReadOnlyDictionary<string, string> Provenance)
{
    public const string FileName = "model.json";
    public const int CurrentFormatVersion = 1;

    public static ModelManifest Parse(ReadOnlySpan<byte> json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new ModelPackageException($"{source}: not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            return Parse(new ManifestReader(document.RootElement, source, ""));
        }
    }

    private static ModelManifest Parse(ManifestReader root)
    {
        var formatVersion = root.IntegerIn("format_version", minimum: 1);
        if (formatVersion > CurrentFormatVersion)
        {
            throw root.Error($"'format_version' {formatVersion} is newer than this engine understands ({CurrentFormatVersion})");
        }

        var architectureName = root.Text("architecture");
        var architecture = ArchitectureCatalog.Find(architectureName)
            ?? throw root.Error($"'architecture' '{architectureName}' is unknown (known: {string.Join(", ", ArchitectureCatalog.Names)})");

        var version = root.Text("version");
        if (version.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            // The version becomes part of a vector collection name, so keep it to characters every store accepts.
            throw root.Error($"'version' may contain only ASCII letters, digits, '-', '_' and '.', found '{version}'");
        }

        var weights = root.Section("weights");
        var weightsFile = weights.Text("file");
        if (Path.GetFileName(weightsFile) != weightsFile)
        {
            throw weights.Error($"'weights.file' must be a file name inside the package folder, found '{weightsFile}'");
        }
        var sha256 = weights.OptionalText("sha256");
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower)))
        {
            throw weights.Error($"'weights.sha256' must be 64 lowercase hex digits, found '{sha256}'");
        }

        var sampleRate = root.IntegerIn("sample_rate", minimum: 1000, maximum: 384_000);
        var frontend = root.Section("frontend");
        var frontendType = frontend.OneOf("type", "mel", "waveform") == "mel" ? FrontendType.Mel : FrontendType.Waveform;
        var mel = frontendType == FrontendType.Mel ? ParseMel(frontend, sampleRate) : null;
        if (frontendType != architecture.Frontend)
        {
            throw frontend.Error($"'frontend.type' must be '{architecture.Frontend.ToString().ToLowerInvariant()}' for architecture '{architecture.Name}'");
        }

        var normalization = ParseNormalization(root.Section("normalization"));
        var config = architecture.ParseConfig(root.Section("config"), mel);
        var embedding = ParseEmbedding(root.Section("embedding"), config.NumHiddenLayers);

        return new ModelManifest(formatVersion, architecture, config, version, weightsFile, sha256, sampleRate,
            frontendType, mel, normalization, embedding, root.StringMap("provenance"));
    }

    private static MelFrontend ParseMel(ManifestReader frontend, int sampleRate)
    {
        var nFft = frontend.PositiveInteger("n_fft");
        var winLength = frontend.PositiveInteger("win_length");
        if (winLength > nFft)
        {
            throw frontend.Error($"'frontend.win_length' ({winLength}) must not exceed 'frontend.n_fft' ({nFft})");
        }
        var fMin = frontend.Number("f_min", minimum: 0);
        var fMax = frontend.Number("f_max", minimum: 0, exclusiveMinimum: true);
        if (fMax <= fMin || fMax > sampleRate / 2.0)
        {
            throw frontend.Error($"'frontend.f_max' ({fMax}) must lie above 'frontend.f_min' ({fMin}) and at most at Nyquist ({sampleRate / 2.0})");
        }
        return new MelFrontend(
            nFft,
            winLength,
            frontend.PositiveInteger("hop_length"),
            frontend.PositiveInteger("n_mels"),
            fMin,
            fMax,
            frontend.Number("power", minimum: 0, exclusiveMinimum: true),
            frontend.OneOf("mel_scale", "htk", "slaney"),
            frontend.Flag("center"),
            frontend.OneOf("pad_mode", "reflect", "constant"),
            frontend.Number("db_floor", minimum: 0, exclusiveMinimum: true),
            frontend.Flag("drop_last_frame"));
    }

    private static Normalization ParseNormalization(ManifestReader normalization)
    {
        var type = normalization.OneOf("type", "none", "global", "per_clip");
        if (type == "per_clip")
        {
            if (normalization.Has("waveform"))
            {
                throw normalization.Error($"'{normalization.FieldPath("waveform")}' applies to 'global' or 'none' normalisation; 'per_clip' already standardises the waveform");
            }
            return new Normalization(NormalizationType.PerClip, 0, 1);
        }
        var level = ParseLevelEpsilon(normalization);
        return type == "global"
            ? new Normalization(NormalizationType.Global, normalization.Number("mean"), normalization.Number("std", minimum: 0, exclusiveMinimum: true), level)
            : new Normalization(NormalizationType.None, 0, 1, level);
    }

    private static double? ParseLevelEpsilon(ManifestReader normalization)
    {
        if (!normalization.Has("waveform"))
        {
            return null;
        }
        var waveform = normalization.Section("waveform");
        if (waveform.OneOf("type", "none", "per_clip") == "none")
        {
            return null;
        }
        var epsilon = waveform.Number("epsilon", minimum: 0, exclusiveMinimum: true);
        if (epsilon >= 1)
        {
            throw waveform.Error($"'{waveform.FieldPath("epsilon")}' must lie in (0, 1), found {epsilon}");
        }
        return epsilon;
    }

    private static EmbeddingDefaults ParseEmbedding(ManifestReader embedding, int layers)
    {
        var window = embedding.Number("window_seconds", minimum: 0, exclusiveMinimum: true);
        var hop = embedding.Number("hop_seconds", minimum: 0, exclusiveMinimum: true);
        var minimum = embedding.Number("min_window_seconds", minimum: 0, exclusiveMinimum: true);
        if (minimum > window)
        {
            throw embedding.Error($"'embedding.min_window_seconds' ({minimum}) must not exceed 'embedding.window_seconds' ({window})");
        }
        return new EmbeddingDefaults(
            embedding.IntegerIn("layer", minimum: 0, maximum: layers),
            embedding.OneOf("pooling", "mean"),
            window,
            hop,
            minimum);
    }
}
