using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Models.Classical;
using MusicSearch.Inference.Models.MusicFm;
using MusicSearch.Inference.Models.Waveform;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Models;

/// <summary>Builds the encoder a package's architecture names, on a backend the encoder then owns.</summary>
public static class EncoderFactory
{
    /// <summary>
    /// Prepares the package's weights on <paramref name="backend"/>. The encoder owns the backend from then on
    /// (disposing it disposes the backend); if preparation fails, the backend is disposed here.
    /// </summary>
    public static IAudioEncoder Create(ModelPackage package, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(backend);
        try
        {
            return package.Manifest.Architecture switch
            {
                MusicFmArchitecture => new MusicFmEncoder(package, backend),
                WaveformTransformerArchitecture => new WaveformTransformerEncoder(package, backend),
                ClassicalArchitecture => new ClassicalEncoder(package, backend),
                var other => throw new ModelPackageException($"{package.Directory}: no encoder is built for architecture '{other.Name}'."),
            };
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    /// <summary>Opens, validates and prepares a package folder; the weights file is closed once they are on the backend.</summary>
    public static IAudioEncoder Load(string packageDirectory, IComputeBackend backend, bool verifyChecksum = true)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ModelPackage package;
        try
        {
            package = ModelPackage.Open(packageDirectory, verifyChecksum);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        using (package)
        {
            return Create(package, backend);
        }
    }
}
