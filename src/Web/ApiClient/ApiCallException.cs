namespace MusicSearch.Web.ApiClient;

/// <summary>
/// A call to the Api that did not give the page what it asked for. <see cref="Code"/> is the GraphQL error code (or
/// <see cref="Unreachable"/> when nothing answered), <see cref="Reason"/> the service's own refusal code where it gave one,
/// and <see cref="Exception.Message"/> a sentence an editor can act on.
/// </summary>
public sealed class ApiCallException : Exception
{
    public const string Unreachable = "UNREACHABLE";
    public const string Unauthenticated = "UNAUTHENTICATED";

    public ApiCallException(string code, string? reason, string message, string? detail = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Reason = reason;
        Detail = detail;
    }

    public ApiCallException()
        : this(Unreachable, null, "The Api call failed.")
    {
    }

    public ApiCallException(string message)
        : this(Unreachable, null, message)
    {
    }

    public ApiCallException(string message, Exception inner)
        : this(Unreachable, null, message, null, inner)
    {
    }

    public string Code { get; }

    public string? Reason { get; }

    /// <summary>The Api's own wording, kept for logs and a "details" line; the message is what editors read first.</summary>
    public string? Detail { get; }

    public bool IsNotFound => Code == "NOT_FOUND";
}
