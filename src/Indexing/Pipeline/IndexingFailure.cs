using System.Text;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Audio.Sources;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// Why a track could not be indexed: a stable machine-readable <paramref name="Code"/> (the metrics' <c>reason</c> label,
/// the store's failure code), what an operator reads, and whether retrying could help.
/// </summary>
public sealed record IndexingFailure(string Code, string Reason, bool Permanent)
{
    public const string ModelMismatch = "model-mismatch";
    public const string InvalidMessage = "invalid-message";

    /// <summary>Maps what decoding or embedding one track threw to a failure; anything unexpected counts as transient.</summary>
    public static IndexingFailure From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            IndexingFailureException failure => failure.Failure,
            AudioDecodeException decode => new IndexingFailure(Kebab(decode.Kind.ToString()), decode.Message, !decode.IsTransient),
            AudioSourceException source => new IndexingFailure(Kebab(source.Kind.ToString()), source.Message, !source.IsTransient),
            // The embedder's own input checks: empty, non-finite or too short audio will not embed next time either.
            ArgumentException argument => new IndexingFailure("unembeddable", argument.Message, Permanent: true),
            _ => new IndexingFailure("internal", $"{exception.GetType().Name}: {exception.Message}", Permanent: false),
        };
    }

    /// <summary><c>NotAudio</c> → <c>not-audio</c>: failure codes are stable kebab-case words.</summary>
    private static string Kebab(string name)
    {
        var code = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && code.Length > 0)
            {
                code.Append('-');
            }
            code.Append(char.ToLowerInvariant(c));
        }
        return code.ToString();
    }
}

/// <summary>A track-level failure raised on purpose (an unsupported audio URI, a model that does not match).</summary>
public sealed class IndexingFailureException : Exception
{
    public IndexingFailureException()
        : this(new IndexingFailure("internal", "indexing failed", Permanent: false))
    {
    }

    public IndexingFailureException(string message)
        : this(new IndexingFailure("internal", message, Permanent: false))
    {
    }

    public IndexingFailureException(string message, Exception innerException)
        : base(message, innerException) => Failure = new IndexingFailure("internal", message, Permanent: false);

    public IndexingFailureException(IndexingFailure failure)
        : base($"{failure?.Code}: {failure?.Reason}") => Failure = failure ?? throw new ArgumentNullException(nameof(failure));

    public IndexingFailure Failure { get; }
}

/// <summary>
/// Some tracks of a batch failed for reasons worth retrying (a decode timeout, a source briefly unreachable). The
/// tracks that succeeded are already stored; the message broker retries the batch with backoff and the retry skips them.
/// </summary>
public sealed class TransientIndexingException : Exception
{
    public TransientIndexingException()
    {
    }

    public TransientIndexingException(string message) : base(message)
    {
    }

    public TransientIndexingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>A request this worker can never serve (a re-index for another model): the bus skips the retries.</summary>
public sealed class PermanentIndexingException : Messaging.PermanentFailureException
{
    public PermanentIndexingException()
    {
    }

    public PermanentIndexingException(string message) : base(message)
    {
    }

    public PermanentIndexingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
