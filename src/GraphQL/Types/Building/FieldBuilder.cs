using MusicSearch.GraphQL.Execution;

namespace MusicSearch.GraphQL.Types;

/// <summary>What every field definition has: a description, arguments, a deprecation.</summary>
/// <typeparam name="TSelf">The concrete builder, so that chained calls keep its own methods.</typeparam>
public abstract class FieldBuilderBase<TSelf>
    where TSelf : FieldBuilderBase<TSelf>
{
    private readonly List<InputValueBuilder> _arguments = [];
    private string? _description;
    private string? _deprecationReason;

    private protected FieldBuilderBase(string name, string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(type);
        Name = name;
        Type = type;
    }

    internal string Name { get; }

    internal string Type { get; }

    public TSelf Description(string description)
    {
        _description = description;
        return (TSelf)this;
    }

    public TSelf Deprecated(string reason = SpecifiedDirectives.DefaultDeprecationReason)
    {
        _deprecationReason = reason;
        return (TSelf)this;
    }

    /// <summary>Adds an argument; <paramref name="configure"/> may describe it, give it a default or deprecate it.</summary>
    /// <param name="name">The argument's name.</param>
    /// <param name="type">Its type in SDL notation, e.g. <c>"[ID!]!"</c>.</param>
    /// <param name="configure">Optional further details.</param>
    public TSelf Argument(string name, string type, Action<InputValueBuilder>? configure = null)
    {
        var argument = new InputValueBuilder(name, type);
        configure?.Invoke(argument);
        _arguments.Add(argument);
        return (TSelf)this;
    }

    /// <summary>Adds an argument with a default value (an internal value, see <see cref="InputValueBuilder.Default"/>).</summary>
    public TSelf Argument(string name, string type, object? defaultValue) =>
        Argument(name, type, argument => argument.Default(defaultValue));

    internal FieldDefinition? Build(TypeLinker linker, string owner, FieldResolver? resolver)
    {
        var coordinate = $"{owner}.{Name}";
        var type = linker.Resolve(Type, coordinate);
        var arguments = _arguments.Select(argument => argument.Build(linker, $"{coordinate}({argument.Name}:)")).ToList();
        if (type is null || arguments.Contains(null))
        {
            return null;
        }

        return new FieldDefinition(Name, type, arguments!, resolver, _description, _deprecationReason);
    }
}

/// <summary>A field of an interface: described, never resolved (the implementing objects resolve it).</summary>
public sealed class InterfaceFieldBuilder : FieldBuilderBase<InterfaceFieldBuilder>
{
    internal InterfaceFieldBuilder(string name, string type)
        : base(name, type)
    {
    }
}

/// <summary>A field of an object type whose values are <typeparamref name="TSource"/>: described and resolved.</summary>
public sealed class FieldBuilder<TSource> : FieldBuilderBase<FieldBuilder<TSource>>
{
    internal FieldBuilder(string name, string type)
        : base(name, type)
    {
    }

    internal FieldResolver? BuiltResolver { get; private set; }

    /// <summary>Resolves the field synchronously; for I/O use <see cref="ResolveAsync{TResult}"/>.</summary>
    public FieldBuilder<TSource> Resolve<TResult>(Func<FieldContext<TSource>, TResult> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        var result = typeof(TResult);
        if (typeof(Task).IsAssignableFrom(result) || result == typeof(ValueTask) ||
            (result.IsGenericType && result.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            throw new ArgumentException($"Field \"{Name}\": an asynchronous resolver must be given to ResolveAsync.", nameof(resolve));
        }

        BuiltResolver = context => new ValueTask<object?>(resolve(new FieldContext<TSource>(context)));
        return this;
    }

    /// <summary>Resolves the field asynchronously; sibling fields of a query resolve concurrently.</summary>
    public FieldBuilder<TSource> ResolveAsync<TResult>(Func<FieldContext<TSource>, Task<TResult>> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        BuiltResolver = context =>
        {
            var task = resolve(new FieldContext<TSource>(context));
            return task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : Await(task);
        };
        return this;
    }

    /// <summary>Uses a resolver as the engine calls it, untyped.</summary>
    public FieldBuilder<TSource> ResolveWith(FieldResolver resolver)
    {
        BuiltResolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        return this;
    }

    private static async ValueTask<object?> Await<TResult>(Task<TResult> task) => await task.ConfigureAwait(false);
}
