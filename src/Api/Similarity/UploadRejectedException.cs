using MusicSearch.Api.Errors;

namespace MusicSearch.Api.Similarity;

public enum UploadProblem
{
    /// <summary>More bytes than <c>Upload:MaxBytes</c>.</summary>
    TooLarge,

    /// <summary>Not audio ffmpeg can decode (a text file, an image, an empty file).</summary>
    NotAudio,

    /// <summary>Audio that is damaged or cut short.</summary>
    Corrupt,

    /// <summary>Longer than <c>Upload:MaxSeconds</c>.</summary>
    TooLong,

    /// <summary>Too short for the model to embed.</summary>
    TooShort,
}

/// <summary>An uploaded file the Api will not search with, and why.</summary>
public sealed class UploadRejectedException(UploadProblem problem, string message) : ApiException(message)
{
    public UploadProblem Problem { get; } = problem;

    public override int StatusCode => Problem switch
    {
        UploadProblem.TooLarge => StatusCodes.Status413PayloadTooLarge,
        UploadProblem.NotAudio => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public override string Code => Problem switch
    {
        UploadProblem.TooLarge => "upload-too-large",
        UploadProblem.NotAudio => "not-audio",
        UploadProblem.Corrupt => "corrupt-audio",
        UploadProblem.TooLong => "audio-too-long",
        _ => "audio-too-short",
    };
}
