using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Execution;

/// <summary>Everything one execution of one operation shares: the schema, the document, coerced variables, the caller's context.</summary>
internal sealed class OperationContext(
    Schema schema,
    IReadOnlyDictionary<string, FragmentDefinitionNode> fragments,
    OperationDefinitionNode operation,
    IReadOnlyDictionary<string, object?> variables,
    object? rootValue,
    object? userContext,
    CancellationToken cancellationToken)
{
    public Schema Schema { get; } = schema;

    public IReadOnlyDictionary<string, FragmentDefinitionNode> Fragments { get; } = fragments;

    public OperationDefinitionNode Operation { get; } = operation;

    public IReadOnlyDictionary<string, object?> Variables { get; } = variables;

    public object? RootValue { get; } = rootValue;

    public object? UserContext { get; } = userContext;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public DataLoaderScope DataLoaders { get; } = new(cancellationToken);
}
