using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;
using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// The engine's entry point: parses the request's document, checks it against the limits, validates it, selects
/// the operation, coerces the variables and executes. Documents are cached parsed and validated per schema, so a
/// repeated request goes straight to variable coercion. One instance serves every request.
/// </summary>
public sealed class GraphQLExecutor(GraphQLExecutorOptions? options = null, ILogger<GraphQLExecutor>? logger = null)
{
    private readonly GraphQLExecutorOptions _options = options ?? new GraphQLExecutorOptions();
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConditionalWeakTable<Schema, DocumentCache<PreparedDocument>> _caches = [];

    /// <param name="schema">The schema to execute against.</param>
    /// <param name="request">The request.</param>
    /// <param name="context">The request's own object (user, services), handed to resolvers as <see cref="FieldContext.Context"/>.</param>
    /// <param name="cancellationToken">Cancels execution: resolvers see it, and the call throws <see cref="OperationCanceledException"/>.</param>
    public Task<ExecutionResult> ExecuteAsync(Schema schema, GraphQLRequest request, object? context = null,
        CancellationToken cancellationToken = default) =>
        ExecuteAsync(schema, request, context, rootValue: null, cancellationToken);

    /// <summary>Executes with a root value: the parent value of root fields (dictionary parents resolve fields by name).</summary>
    /// <param name="schema">The schema to execute against.</param>
    /// <param name="request">The request.</param>
    /// <param name="context">The request's own object, handed to resolvers as <see cref="FieldContext.Context"/>.</param>
    /// <param name="rootValue">The parent value of root fields.</param>
    /// <param name="cancellationToken">Cancels execution.</param>
    public async Task<ExecutionResult> ExecuteAsync(Schema schema, GraphQLRequest request, object? context, object? rootValue,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return Fail("Must provide query string.", ErrorCodes.BadUserInput);
        }

        if (request.Query.Length > _options.Limits.MaxQueryLength)
        {
            return Fail($"The document is {request.Query.Length} characters long, more than the limit of {_options.Limits.MaxQueryLength}.",
                ErrorCodes.QueryTooComplex);
        }

        var prepared = _caches.GetValue(schema, _ => new DocumentCache<PreparedDocument>(_options.DocumentCacheSize))
            .GetOrAdd(request.Query, query => Prepare(schema, query));
        if (prepared.Errors.Count > 0)
        {
            return ExecutionResult.Failed(prepared.Errors);
        }

        var operation = SelectOperation(prepared.Document!, request.OperationName, out var selectionError);
        if (operation is null)
        {
            return ExecutionResult.Failed([selectionError!]);
        }

        var rootType = schema.GetRootType(operation.Operation);
        if (rootType is null || operation.Operation == OperationType.Subscription)
        {
            var message = rootType is null
                ? $"Schema is not configured to execute {Keyword(operation.Operation)} operation."
                : "Subscriptions are not supported by this server; poll with a query instead.";
            return ExecutionResult.Failed([GraphQLError.At(message, ErrorCodes.OperationResolutionFailure, operation)]);
        }

        if (!TryReadVariables(request.Variables, out var inputs))
        {
            return Fail("Variables must be a JSON object.", ErrorCodes.BadUserInput);
        }

        var errors = new List<GraphQLError>();
        var variables = VariableCoercion.Coerce(schema, operation.VariableDefinitions, inputs, errors);
        if (errors.Count > 0)
        {
            return ExecutionResult.Failed(errors);
        }

        var operationContext = new OperationContext(schema, prepared.Fragments, operation, variables, rootValue, context, cancellationToken);
        var executor = new OperationExecutor(operationContext, _logger);
        var pump = new ExecutionPump();
        return await pump.RunAsync(() => executor.ExecuteAsync(rootType), operationContext.DataLoaders, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses, measures and validates a document; what comes out is cached, errors included.</summary>
    private PreparedDocument Prepare(Schema schema, string query)
    {
        DocumentNode document;
        try
        {
            document = Parser.Parse(new Source(query), new ParserOptions { MaxTokens = _options.Limits.MaxTokens });
        }
        catch (GraphQLSyntaxException exception)
        {
            return new PreparedDocument(null, [new GraphQLError(exception.Message, [exception.Location], null, GraphQLError.WithCode(ErrorCodes.ParseFailed))]);
        }

        var tooComplex = QueryComplexity.Check(document, _options.Limits);
        if (tooComplex.Count > 0)
        {
            return new PreparedDocument(document, tooComplex);
        }

        return new PreparedDocument(document, DocumentValidator.Validate(schema, document, _options.Rules));
    }

    /// <summary>The operation named in the request, or the only one; graphql-js's messages otherwise.</summary>
    private static OperationDefinitionNode? SelectOperation(DocumentNode document, string? name, out GraphQLError? error)
    {
        var operations = document.Definitions.OfType<OperationDefinitionNode>().ToList();
        OperationDefinitionNode? selected = name is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(operation => operation.Name?.Value == name);
        error = selected is not null ? null : new GraphQLError(
            name is not null ? $"Unknown operation named \"{name}\"."
                : operations.Count > 1 ? "Must provide operation name if query contains multiple operations."
                : "Must provide an operation.",
            extensions: GraphQLError.WithCode(ErrorCodes.OperationResolutionFailure));
        return selected;
    }

    private static bool TryReadVariables(JsonElement? variables, out IReadOnlyDictionary<string, object?> inputs)
    {
        inputs = new Dictionary<string, object?>();
        switch (variables?.ValueKind)
        {
            case null or JsonValueKind.Null or JsonValueKind.Undefined:
                return true;
            case JsonValueKind.Object:
                inputs = (Dictionary<string, object?>)JsonValues.ToClr(variables.Value)!;
                return true;
            default:
                return false;
        }
    }

    private static string Keyword(OperationType operation) => operation.ToString().ToLowerInvariant();

    private static ExecutionResult Fail(string message, string code) =>
        ExecutionResult.Failed([new GraphQLError(message, extensions: GraphQLError.WithCode(code))]);

    /// <summary>A document as far as it got: parsed (or not), and the errors that stop it from executing.</summary>
    private sealed class PreparedDocument(DocumentNode? document, IReadOnlyList<GraphQLError> errors)
    {
        public DocumentNode? Document { get; } = document;

        public IReadOnlyList<GraphQLError> Errors { get; } = errors;

        public IReadOnlyDictionary<string, FragmentDefinitionNode> Fragments { get; } = document?.Definitions
            .OfType<FragmentDefinitionNode>()
            .GroupBy(fragment => fragment.Name.Value, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal) ?? [];
    }
}
