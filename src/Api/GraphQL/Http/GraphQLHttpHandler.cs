using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MusicSearch.Api.GraphQL.SchemaDefinition;
using MusicSearch.Api.Limits;
using MusicSearch.Api.Security;
using MusicSearch.GraphQL;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>
/// Answers <c>/graphql</c> as the GraphQL-over-HTTP draft asks: reads the request (<see cref="GraphQLRequestReader"/>),
/// resolves persisted queries, refuses mutations over GET (405), executes, and writes the response in the negotiated
/// media type (<see cref="ResponseMediaType"/>) with its status: 200 when execution ran (field errors included), a
/// request error's status otherwise. Client mistakes never become a 500.
/// </summary>
public sealed partial class GraphQLHttpHandler(
    MusicSearchSchema schema,
    GraphQLExecutor executor,
    PersistedQueries persisted,
    IOptions<RequestLimitOptions> limits,
    IOptions<GraphQLHttpOptions> options,
    ILogger<GraphQLHttpHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var media = ResponseMediaType.Negotiate(context.Request.Headers.Accept);
        ExecutionResult result;
        int status;
        string? operationName = null;
        try
        {
            if (GraphQLRequestReader.IsMultipart(context.Request) && !context.User.IsInRole(ApiRoles.Editor))
            {
                // Refused before the upload is read.
                throw new GraphQLHttpException(StatusCodes.Status403Forbidden, GraphQLErrorCodes.Forbidden, "uploads need a key with the editor role");
            }
            using var parsed = await GraphQLRequestReader.ReadAsync(context.Request, limits.Value.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
            var (request, register) = persisted.Resolve(parsed.Request);
            operationName = request.OperationName;
            if (HttpMethods.IsGet(context.Request.Method) && IsMutation(request))
            {
                throw new GraphQLHttpException(StatusCodes.Status405MethodNotAllowed, GraphQLErrorCodes.MethodNotAllowed, "mutations must be sent with POST");
            }
            result = await executor.ExecuteAsync(schema.Schema, request, GraphQLRequestContext.For(context, parsed.Uploads), context.RequestAborted)
                .ConfigureAwait(false);
            if (register is not null && result.HasData)
            {
                persisted.Register(register, request.Query!);
            }
            status = result.HasData ? StatusCodes.Status200OK : media.RequestErrorStatus;
        }
        catch (GraphQLHttpException ex)
        {
            result = ExecutionResult.Failed([new GraphQLError(ex.Message, extensions: new Dictionary<string, object?> { ["code"] = ex.Code })]);
            status = ex.StatusCode ?? media.RequestErrorStatus;
            if (status == StatusCodes.Status405MethodNotAllowed)
            {
                context.Response.Headers.Allow = HttpMethods.Post;
            }
        }
        await WriteAsync(context.Response, result, status, media).ConfigureAwait(false);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Answered(logger, context.Request.Method, operationName ?? "(unnamed)", status, result.Errors.Count, milliseconds);
        }
    }

    private static async Task WriteAsync(HttpResponse response, ExecutionResult result, int status, ResponseMediaType media)
    {
        response.StatusCode = status;
        response.ContentType = media.ContentType;
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            result.WriteTo(writer);
        }
        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Whether the operation the request selects is a mutation; a document that does not parse is left to the executor to report.</summary>
    private bool IsMutation(GraphQLRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Query) || request.Query.Length > options.Value.MaxQueryLength)
        {
            return false;
        }
        DocumentNode document;
        try
        {
            document = Parser.Parse(request.Query, new ParserOptions { MaxTokens = options.Value.MaxTokens });
        }
        catch (GraphQLSyntaxException)
        {
            return false;
        }
        var operations = document.Definitions.OfType<OperationDefinitionNode>().ToArray();
        var selected = request.OperationName is null
            ? operations.Length == 1 ? operations[0] : null
            : operations.FirstOrDefault(operation => operation.Name?.Value == request.OperationName);
        return selected?.Operation == OperationType.Mutation;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "GraphQL {Method} {Operation}: {Status} with {Errors} errors in {Milliseconds:0.0} ms")]
    private static partial void Answered(ILogger logger, string method, string operation, int status, int errors, double milliseconds);
}
