using System.Net;

namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// Fetches audio over HTTP(S) from allowed hosts only: every address, the first and each redirect's target, is
/// checked before a request is sent to it. The body is not read here: the returned source streams it as its reader
/// consumes it, within the size limit and the fetch deadline.
/// </summary>
internal sealed class HttpAudioFetcher : IDisposable
{
    private readonly AudioSourceOptions _options;
    private readonly HostAllowList _hosts;
    private readonly HttpClient _client;

    public HttpAudioFetcher(AudioSourceOptions options)
    {
        _options = options;
        _hosts = new HostAllowList(options.AllowedHosts);
        _client = new HttpClient(new SocketsHttpHandler
        {
            // Followed by hand, so that each target is checked against the allow-list first.
            AllowAutoRedirect = false,
            ConnectTimeout = options.ConnectTimeout,
            // Bytes as stored: a compressed body would escape the size limit until decompressed.
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // Long-lived client: pick up DNS changes of the catalog's hosts.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // The fetch deadline covers headers and body alike; HttpClient's own timeout would cover headers only.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Refuses an address that must not be fetched, before anything is sent to it.</summary>
    /// <exception cref="AudioSourceException">NotAllowed.</exception>
    public void CheckAllowed(Uri uri, string? redirectedFrom = null)
    {
        var how = redirectedFrom is null ? "" : $"redirected from {redirectedFrom}, ";
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && _options.AllowHttp))
        {
            throw new AudioSourceException(
                AudioSourceError.NotAllowed, AudioAddress.Display(uri), $"{how}{uri.Scheme} is not allowed (only https, and http when AllowHttp is on)");
        }

        if (!_hosts.Allows(uri))
        {
            throw new AudioSourceException(AudioSourceError.NotAllowed, AudioAddress.Display(uri), $"{how}the host {uri.IdnHost} is not on the allow-list");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new AudioSourceException(AudioSourceError.NotAllowed, AudioAddress.Display(uri), $"{how}the URL carries credentials");
        }
    }

    /// <exception cref="AudioSourceException">Anything but a successful response with an acceptable size.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<IAudioSource> OpenAsync(Uri uri, CancellationToken cancellationToken)
    {
        CheckAllowed(uri);
        var deadline = new CallDeadline(_options.Timeout, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            (response, var finalUri) = await GetFollowingRedirectsAsync(uri, deadline).ConfigureAwait(false);
            var location = AudioAddress.Display(finalUri);
            var length = CheckResponse(response, location);
            var body = await Guard(location, deadline, () => response.Content.ReadAsStreamAsync(deadline.Token)).ConfigureAwait(false);
            return new OpenedSource(location, length, new SourceStream(body, location, _options.MaxBytes, deadline), response, deadline);
        }
        catch
        {
            response?.Dispose();
            deadline.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<(HttpResponseMessage Response, Uri Uri)> GetFollowingRedirectsAsync(Uri uri, CallDeadline deadline)
    {
        for (var redirects = 0; ; redirects++)
        {
            var location = AudioAddress.Display(uri);
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            var response = await Guard(
                location, deadline, () => _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token)).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
            {
                return (response, uri);
            }

            using (response)
            {
                if (redirects == _options.MaxRedirects)
                {
                    throw new AudioSourceException(
                        AudioSourceError.HttpError, location, $"more than {_options.MaxRedirects} redirects", response.StatusCode);
                }

                var target = response.Headers.Location
                    ?? throw new AudioSourceException(AudioSourceError.HttpError, location, "a redirect without a Location", response.StatusCode);
                var next = target.IsAbsoluteUri ? target : new Uri(uri, target);
                CheckAllowed(next, redirectedFrom: location);
                uri = next;
            }
        }
    }

    /// <returns>The stated length of the body, if any.</returns>
    private long? CheckResponse(HttpResponseMessage response, string location)
    {
        var status = response.StatusCode;
        if (status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new AudioSourceException(AudioSourceError.NotFound, location, $"the server answered {(int)status} {response.ReasonPhrase}", status);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new AudioSourceException(AudioSourceError.HttpError, location, $"the server answered {(int)status} {response.ReasonPhrase}", status);
        }

        var length = response.Content.Headers.ContentLength;
        if (length > _options.MaxBytes)
        {
            throw new AudioSourceException(
                AudioSourceError.TooLarge, location, $"the server announces {length} bytes, more than the {_options.MaxBytes} allowed");
        }

        return length == 0 ? throw new AudioSourceException(AudioSourceError.Empty, location, "the server sent an empty body") : length;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Runs one step of talking to the server, turning its failures into <see cref="AudioSourceException"/>s.</summary>
    private async Task<T> Guard<T>(string location, CallDeadline deadline, Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.CallerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Fetching audio was cancelled.", exception, deadline.CallerToken);
        }
        catch (OperationCanceledException exception) when (deadline.HasExpired)
        {
            throw new AudioSourceException(AudioSourceError.TimedOut, location, $"no answer within {deadline.Limit}", innerException: exception);
        }
        catch (OperationCanceledException exception)
        {
            // Neither token: SocketsHttpHandler's connect timeout.
            throw new AudioSourceException(
                AudioSourceError.TimedOut, location, $"no connection within {_options.ConnectTimeout}", innerException: exception);
        }
        catch (HttpRequestException exception)
        {
            throw new AudioSourceException(AudioSourceError.Unavailable, location, exception.Message, innerException: exception);
        }
    }
}
