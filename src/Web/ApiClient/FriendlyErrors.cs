namespace MusicSearch.Web.ApiClient;

/// <summary>Turns the Api's error codes into sentences an editor can act on; the Api's own wording stays as the detail.</summary>
public static class FriendlyErrors
{
    public static ApiCallException From(string code, string? reason, string apiMessage) =>
        new(code, reason, Describe(code, reason, apiMessage), apiMessage);

    private static string Describe(string code, string? reason, string apiMessage) => (code, reason) switch
    {
        (_, "not-audio") => "That file is not audio the engine can decode. Choose an MP3, FLAC, WAV, Ogg or similar audio file.",
        (_, "upload-too-large") => $"That file is too large for the Api: {apiMessage}. Trim it to a shorter excerpt.",
        (_, "audio-too-long") => $"That clip is too long: {apiMessage}. Upload a shorter excerpt.",
        (_, "audio-too-short") => $"That clip is too short to embed: {apiMessage}.",
        (_, "corrupt-audio") => $"That audio file is damaged or cut short: {apiMessage}.",
        (_, "model-mismatch") => "The Api's model differs from the model of the indexed catalog; re-index the catalog with the Api's model first.",
        ("NO_COLLECTION", _) or (_, "no-collection") => "Nothing is indexed yet. Enqueue a folder or manifest on the Indexing page first.",
        ("NOT_FOUND", _) => $"Not found: {apiMessage}.",
        ("FORBIDDEN", _) => "The editor UI's API key may not do this. Give Web:ApiKey a key with the editor role.",
        (ApiCallException.Unauthenticated, _) => "The Api refused the editor UI's API key. Check Web:ApiKey.",
        ("SERVICE_UNAVAILABLE", _) => "The track store cannot answer right now. Try again in a moment.",
        ("BAD_USER_INPUT", _) => $"The Api did not accept that: {apiMessage}.",
        _ => $"The Api reported a problem ({code}): {apiMessage}.",
    };
}
