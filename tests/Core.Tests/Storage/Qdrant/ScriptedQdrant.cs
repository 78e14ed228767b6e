using System.Net;
using System.Text;
using MusicSearch.Core.Tests.Storage.Qdrant.OpenApi;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>
/// Answers requests from a script, one step per request (the last step repeats), for the failure paths: errors, slow
/// answers, broken connections. Requests and answers are checked against the OpenAPI document like
/// <see cref="FakeQdrant"/>'s.
/// </summary>
internal sealed class ScriptedQdrant(params Func<HttpRequestMessage, Task<HttpResponseMessage>>[] steps) : HttpMessageHandler
{
    private int _calls;

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string?> Bodies { get; } = [];

    public int Calls => _calls;

    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Answer(HttpStatusCode status, string json) =>
        request => Task.FromResult(Checked(request, status, json));

    /// <summary>A Qdrant error answer: <c>{"status": {"error": …}}</c>.</summary>
    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Error(HttpStatusCode status, string error) =>
        Answer(status, $$"""{"status":{"error":"{{error}}"},"time":0.0}""");

    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Ok(string resultJson) =>
        Answer(HttpStatusCode.OK, $$"""{"result":{{resultJson}},"status":"ok","time":0.001}""");

    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Hang() => async request =>
    {
        await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        throw new InvalidOperationException("not reached");
    };

    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Refuse() =>
        _ => throw new HttpRequestException("Connection refused (qdrant.test:6333)", null, HttpStatusCode.ServiceUnavailable);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var violations = QdrantOpenApi.Document.ValidateRequest(request.Method, request.RequestUri!, body);
        if (violations.Count > 0)
        {
            throw new OpenApiViolationException(violations);
        }
        Requests.Add(request);
        Bodies.Add(body);
        var step = steps[Math.Min(Interlocked.Increment(ref _calls) - 1, steps.Length - 1)];
        return await step(request).WaitAsync(cancellationToken);
    }

    private static HttpResponseMessage Checked(HttpRequestMessage request, HttpStatusCode status, string json)
    {
        var violations = QdrantOpenApi.Document.ValidateResponse(request.Method, request.RequestUri!.AbsolutePath, (int)status, json);
        if (violations.Count > 0)
        {
            throw new OpenApiViolationException(violations);
        }
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
