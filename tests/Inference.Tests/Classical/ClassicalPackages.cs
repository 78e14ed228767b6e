using System.Text.Json;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Models.Classical;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Classical;

/// <summary>Classical packages written to temporary folders, loaded on a CPU backend.</summary>
internal static class ClassicalPackages
{
    /// <summary>The settings a reference case was computed with.</summary>
    public static ClassicalSettings FromParameters(JsonElement p) => new()
    {
        SampleRate = p.GetProperty("sample_rate").GetInt32(),
        NFft = p.GetProperty("n_fft").GetInt32(),
        HopLength = p.GetProperty("hop_length").GetInt32(),
        MelBands = p.GetProperty("n_mels").GetInt32(),
        FMax = p.GetProperty("f_max").GetDouble(),
        Mfcc = p.GetProperty("n_mfcc").GetInt32(),
        ContrastBands = p.GetProperty("contrast_bands").GetInt32(),
        ContrastFMin = p.GetProperty("contrast_f_min").GetDouble(),
        ContrastQuantile = p.GetProperty("contrast_quantile").GetDouble(),
    };

    /// <summary>An encoder whose standardisation is the identity, so hidden.0 holds the raw statistics.</summary>
    public static IAudioEncoder LoadIdentity(ClassicalSettings settings, int threads = 1)
    {
        using var directory = new TemporaryDirectory();
        var (mean, std) = StandardizationFit.Identity(settings.Dimensions);
        ClassicalPackage.Write(directory.Path, "classical-test", settings, mean, std);
        return EncoderFactory.Load(directory.Path, new CpuBackend(threads));
    }
}
