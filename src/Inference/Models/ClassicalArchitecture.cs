using MusicSearch.Inference.Models.Classical;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Models;

/// <summary>
/// The <c>config</c> block of a classical-features package. The vector has <see cref="ArchitectureConfig.HiddenSize"/>
/// = 2 × <see cref="FrameFeatures"/> dimensions (<see cref="ClassicalFeatureLayout"/>); there are no layers, so hidden
/// state 0 is the only one.
/// </summary>
/// <param name="MelBands">Log-mel bands (the frontend's <c>n_mels</c>).</param>
/// <param name="Mfcc">MFCCs kept: the first coefficients of the orthonormal DCT-II of the log-mel frame.</param>
/// <param name="ContrastBands">Octave bands of spectral contrast above <paramref name="ContrastFMin"/>; one more band lies below it.</param>
/// <param name="ContrastFMin">Upper edge of the lowest contrast band, in Hz.</param>
/// <param name="ContrastQuantile">Share of a band's bins averaged into its peak and into its valley.</param>
public sealed record ClassicalConfig(int MelBands, int Mfcc, int ContrastBands, double ContrastFMin, double ContrastQuantile)
    : ArchitectureConfig(2 * (MelBands + Mfcc + ContrastBands + 1 + 2), 0, 1, 0, 0)
{
    /// <summary>Features computed per STFT frame: log-mel, MFCC, contrast per band, centroid, flatness.</summary>
    public int FrameFeatures => MelBands + Mfcc + ContrastBands + 1 + 2;
}

/// <summary>
/// The classical-features baseline (issue 10): per window, means and standard deviations over STFT frames of log-mel
/// energies, MFCCs, spectral contrast, centroid and flatness, standardised by statistics a corpus gave and
/// L2-normalised by the embedder like every vector. It reuses the mel frontend's fields; its "weights" are the tiny
/// standardisation file (<c>standardization.mean</c>, <c>standardization.std</c>, one value per dimension).
/// </summary>
public sealed class ClassicalArchitecture : ModelArchitecture
{
    public const string MeanTensor = "standardization.mean";
    public const string StdTensor = "standardization.std";

    public override string Name => "classical";

    public override FrontendType Frontend => FrontendType.Mel;

    public override ArchitectureConfig ParseConfig(ManifestReader config, MelFrontend? mel)
    {
        var frontend = mel!;
        var mfcc = config.PositiveInteger("n_mfcc");
        if (mfcc > frontend.NMels)
        {
            throw config.Error($"'config.n_mfcc' ({mfcc}) must not exceed 'frontend.n_mels' ({frontend.NMels}): the DCT has one coefficient per band");
        }
        var bands = config.IntegerIn("contrast_bands", minimum: 1, maximum: 16);
        var fMin = config.Number("contrast_f_min", minimum: 0, exclusiveMinimum: true);
        var top = fMin * Math.Pow(2, bands - 1);
        if (top >= frontend.FMax)
        {
            throw config.Error($"the highest contrast band starts at 'config.contrast_f_min' × 2^(bands − 1) = {top} Hz, which must lie below 'frontend.f_max' ({frontend.FMax})");
        }
        var quantile = config.Number("contrast_quantile", minimum: 0, exclusiveMinimum: true);
        if (quantile > 0.5)
        {
            throw config.Error($"'config.contrast_quantile' must be at most 0.5 (peak and valley are disjoint shares of a band), found {quantile}");
        }
        return new ClassicalConfig(frontend.NMels, mfcc, bands, fMin, quantile);
    }

    public override IEnumerable<TensorSpec> RequiredTensors(ArchitectureConfig config)
    {
        var dimensions = config.HiddenSize;
        yield return new TensorSpec(MeanTensor, [dimensions]);
        yield return new TensorSpec(StdTensor, [dimensions]);
    }
}
