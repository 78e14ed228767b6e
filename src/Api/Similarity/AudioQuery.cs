using Microsoft.Extensions.Options;
using MusicSearch.Api.Errors;
using MusicSearch.Api.Limits;
using MusicSearch.Api.Paging;
using MusicSearch.Api.Store;
using MusicSearch.Core.Audio;
using MusicSearch.Indexing.Pipeline;
using MusicSearch.Inference.Embedding;

namespace MusicSearch.Api.Similarity;

/// <summary>The tracks most like an uploaded clip, with what was heard of it.</summary>
public sealed record AudioQueryResult(Page<ScoredTrack> Results, double DurationSeconds, int Windows);

/// <summary>
/// Query by audio: the upload is saved to a private temporary file (counting bytes against <c>Upload:MaxBytes</c>),
/// probed and decoded by the same ffmpeg decoder as indexing with <c>Upload:MaxSeconds</c> as its length limit,
/// embedded by the shared model exactly as a catalog track is (same window limit), then searched like any vector.
/// Refusals are <see cref="UploadRejectedException"/>s naming the problem.
/// </summary>
public sealed class AudioQuery(
    AudioEmbedder embedder,
    SimilarTracks similar,
    ActiveStore active,
    IOptions<UploadOptions> uploads,
    IOptions<AudioDecoderOptions> decoding,
    IOptions<PipelineOptions> pipeline) : IDisposable
{
    private const int CopyBuffer = 81920;

    // Each query holds its decoded audio (up to Upload:MaxSeconds at the model's rate: 58 MB for 10 min at 24 kHz) and an
    // ffmpeg process; bounding how many run at once bounds that memory. Waiting ones queue.
    private readonly SemaphoreSlim _slots = new(Math.Max(2, Environment.ProcessorCount));

    public async Task<AudioQueryResult> SearchAsync(Stream content, string fileName, SimilarityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(request);
        // Fail on a wrong model before spending a decode and an embedding on the upload.
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        if (store.Info.ModelVersion != embedder.ModelVersion)
        {
            throw new ModelMismatchException(embedder.ModelVersion, store.Info.ModelVersion);
        }
        var path = Path.Combine(Path.GetTempPath(), $"musicsearch-upload-{Guid.NewGuid():N}{SafeExtension(fileName)}");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SaveAsync(content, path, cancellationToken).ConfigureAwait(false);
            var audio = await DecodeAsync(path, cancellationToken).ConfigureAwait(false);
            var embedding = await EmbedAsync(audio, cancellationToken).ConfigureAwait(false);
            var results = await similar.ToVectorAsync(embedding.Vector, request, cancellationToken).ConfigureAwait(false);
            return new AudioQueryResult(results, audio.Duration.TotalSeconds, embedding.Windows.Count);
        }
        finally
        {
            _slots.Release();
            File.Delete(path);
        }
    }

    private async Task SaveAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        var limit = uploads.Value.MaxBytes;
        // Only this process's user may read the upload while it waits for ffmpeg.
        var settings = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            settings.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        var file = new FileStream(path, settings);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[CopyBuffer];
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw new UploadRejectedException(UploadProblem.TooLarge, $"the upload is larger than the {limit} bytes allowed");
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            if (total == 0)
            {
                throw new UploadRejectedException(UploadProblem.NotAudio, "the upload is empty");
            }
        }
    }

    private async Task<DecodedAudio> DecodeAsync(string path, CancellationToken cancellationToken)
    {
        var configured = decoding.Value;
        var decoder = new AudioDecoder(new AudioDecoderOptions
        {
            FfmpegPath = configured.FfmpegPath,
            FfprobePath = configured.FfprobePath,
            MaxDuration = TimeSpan.FromSeconds(uploads.Value.MaxSeconds),
            Timeout = configured.Timeout,
            LengthTolerance = configured.LengthTolerance,
            MinimumLengthSlack = configured.MinimumLengthSlack,
            RejectDecoderErrors = configured.RejectDecoderErrors,
        });
        try
        {
            return await decoder.DecodeAsync(path, embedder.SampleRate, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AudioDecodeException ex) when (ex.Kind != AudioDecodeError.TimedOut)
        {
            throw ex.Kind switch
            {
                AudioDecodeError.TooLong => new UploadRejectedException(UploadProblem.TooLong, $"the audio is longer than the {uploads.Value.MaxSeconds:0.#} s allowed"),
                AudioDecodeError.Corrupt or AudioDecodeError.Truncated => new UploadRejectedException(UploadProblem.Corrupt, $"the audio is damaged: {ex.Reason}"),
                _ => new UploadRejectedException(UploadProblem.NotAudio, "the upload is not audio that can be decoded"),
            };
        }
    }

    private async Task<TrackEmbedding> EmbedAsync(DecodedAudio audio, CancellationToken cancellationToken)
    {
        var windows = pipeline.Value.MaxWindowsPerTrack;
        try
        {
            return await embedder.EmbedAsync(audio.Samples, new EmbeddingOptions { MaxWindows = windows > 0 ? windows : null }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException)
        {
            throw new UploadRejectedException(UploadProblem.TooShort, $"the audio cannot be embedded: {ex.Message}");
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>The upload's extension helps ffmpeg's probe; anything but a short alphanumeric one is dropped (the name comes from the client).</summary>
    private static string SafeExtension(string fileName)
    {
        var extension = Path.GetExtension(fileName ?? "");
        return extension.Length is > 1 and <= 6 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension.ToLowerInvariant() : "";
    }
}
