using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// What a resolver knows about the field it resolves: the parent value, the coerced arguments, the request's context
/// object and cancellation token, and where it is in the document and the response. A struct, so that resolving a
/// field allocates nothing for it.
/// </summary>
public readonly struct FieldContext
{
    private readonly OperationContext _operation;

    internal FieldContext(OperationContext operation, ObjectType parentType, FieldDefinition field, IReadOnlyList<FieldNode> fieldNodes,
        object? parent, IReadOnlyDictionary<string, object?> arguments, ResponsePath path)
    {
        _operation = operation;
        ParentType = parentType;
        Field = field;
        FieldNodes = fieldNodes;
        Parent = parent;
        Arguments = arguments;
        Path = path;
    }

    /// <summary>The value of the object the field belongs to (the root value for root fields).</summary>
    public object? Parent { get; }

    /// <summary>The coerced arguments: those given, and defaults for those not given. An argument absent here was not given at all.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    public ObjectType ParentType { get; }

    public FieldDefinition Field { get; }

    /// <summary>The field's nodes in the document (several when the same response key is selected more than once).</summary>
    public IReadOnlyList<FieldNode> FieldNodes { get; }

    public ResponsePath Path { get; }

    public Schema Schema => _operation.Schema;

    public OperationDefinitionNode Operation => _operation.Operation;

    /// <summary>The coerced variables of the operation.</summary>
    public IReadOnlyDictionary<string, object?> Variables => _operation.Variables;

    /// <summary>The object passed to the executor for this request: the caller's services, user, per-request state.</summary>
    public object? Context => _operation.UserContext;

    /// <summary>Signalled when the request is cancelled (client gone, deadline); pass it to I/O.</summary>
    public CancellationToken CancellationToken => _operation.CancellationToken;

    /// <summary>The request context as <typeparamref name="T"/>; throws when the caller passed something else.</summary>
    public T ContextAs<T>() => _operation.UserContext is T typed
        ? typed
        : throw new InvalidOperationException($"The request context is {_operation.UserContext?.GetType().Name ?? "null"}, not {typeof(T).Name}.");

    /// <summary>An argument as <typeparamref name="T"/> (Int is <see cref="int"/>, Float <see cref="double"/>, ID and String <see cref="string"/>).</summary>
    public T Argument<T>(string name) => ValueConversion.To<T>(Arguments.GetValueOrDefault(name), $"Argument \"{name}\"");

    /// <summary>A list argument with items as <typeparamref name="T"/>; empty when null or not given.</summary>
    public IReadOnlyList<T> ListArgument<T>(string name) => ValueConversion.ToList<T>(Arguments.GetValueOrDefault(name), $"Argument \"{name}\"");

    /// <summary>Whether the argument was given (possibly as null) or has a default; false when it is absent.</summary>
    public bool HasArgument(string name) => Arguments.ContainsKey(name);

    /// <summary>
    /// The request's data loader named <paramref name="name"/>, created with <paramref name="batch"/> on first use:
    /// loads made by sibling fields and list items are batched into one call of <paramref name="batch"/>.
    /// </summary>
    public DataLoader<TKey, TValue> DataLoader<TKey, TValue>(string name, BatchLoad<TKey, TValue> batch, DataLoaderOptions? options = null)
        where TKey : notnull => _operation.DataLoaders.GetOrAdd(name, batch, options);
}

/// <summary>A <see cref="FieldContext"/> whose parent value has the CLR type the object type was declared with.</summary>
public readonly struct FieldContext<TSource>(FieldContext context)
{
    /// <summary>The untyped context, with everything else a resolver may need.</summary>
    public FieldContext Untyped { get; } = context;

    public TSource Parent => Untyped.Parent is TSource parent ? parent : default!;

    public IReadOnlyDictionary<string, object?> Arguments => Untyped.Arguments;

    public object? Context => Untyped.Context;

    public CancellationToken CancellationToken => Untyped.CancellationToken;

    public T ContextAs<T>() => Untyped.ContextAs<T>();

    public T Argument<T>(string name) => Untyped.Argument<T>(name);

    public IReadOnlyList<T> ListArgument<T>(string name) => Untyped.ListArgument<T>(name);

    public bool HasArgument(string name) => Untyped.HasArgument(name);

    public DataLoader<TKey, TValue> DataLoader<TKey, TValue>(string name, BatchLoad<TKey, TValue> batch, DataLoaderOptions? options = null)
        where TKey : notnull => Untyped.DataLoader(name, batch, options);
}
