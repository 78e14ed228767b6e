using System.Diagnostics.CodeAnalysis;
using MusicSearch.GraphQL.Introspection;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// Builds a <see cref="Schema"/> in code, top-down and in any order; types refer to each other by name, with SDL
/// type notation (<c>"[Track!]!"</c>):
/// <code>
/// var schema = new SchemaBuilder()
///     .Query(query => query
///         .Field("track", "Track", field => field
///             .Argument("id", "ID!")
///             .ResolveAsync(context => catalog.FindAsync(context.Argument&lt;string&gt;("id"), context.CancellationToken))))
///     .Object&lt;Track&gt;("Track", track => track
///         .Field("id", "ID!", t => t.Id)
///         .Field("title", "String!", t => t.Title))
///     .Build();
/// </code>
/// <see cref="Build"/> checks the type system's rules and reports every problem at once.
/// </summary>
public sealed class SchemaBuilder
{
    private readonly List<NamedTypeBuilder> _types = [];
    private readonly List<DirectiveBuilder> _directives = [];
    private string? _description;
    private string? _queryTypeName;
    private string? _mutationTypeName;
    private string? _subscriptionTypeName;

    public SchemaBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    /// <summary>The query root type, named "Query"; its resolvers receive the root value as parent.</summary>
    public SchemaBuilder Query(Action<ObjectTypeBuilder<object>> configure) => Query<object>("Query", configure);

    public SchemaBuilder Query<TRoot>(string name, Action<ObjectTypeBuilder<TRoot>> configure)
    {
        _queryTypeName = name;
        return Object(name, configure);
    }

    /// <summary>The mutation root type, named "Mutation"; its fields run one after another.</summary>
    public SchemaBuilder Mutation(Action<ObjectTypeBuilder<object>> configure) => Mutation<object>("Mutation", configure);

    public SchemaBuilder Mutation<TRoot>(string name, Action<ObjectTypeBuilder<TRoot>> configure)
    {
        _mutationTypeName = name;
        return Object(name, configure);
    }

    /// <summary>The subscription root type, named "Subscription". The executor does not run subscriptions yet.</summary>
    public SchemaBuilder Subscription(Action<ObjectTypeBuilder<object>> configure) => Subscription<object>("Subscription", configure);

    public SchemaBuilder Subscription<TRoot>(string name, Action<ObjectTypeBuilder<TRoot>> configure)
    {
        _subscriptionTypeName = name;
        return Object(name, configure);
    }

    /// <summary>An object type whose values are <typeparamref name="TSource"/>.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "GraphQL's word for the kind of type.")]
    public SchemaBuilder Object<TSource>(string name, Action<ObjectTypeBuilder<TSource>> configure)
    {
        _types.Add(NewObject(name, configure));
        return this;
    }

    public SchemaBuilder Interface(string name, Action<InterfaceTypeBuilder> configure) => Add(new InterfaceTypeBuilder(name), configure);

    public SchemaBuilder Union(string name, Action<UnionTypeBuilder> configure) => Add(new UnionTypeBuilder(name), configure);

    public SchemaBuilder Union(string name, params string[] members) => Union(name, union => union.Types(members));

    public SchemaBuilder Enum(string name, Action<EnumTypeBuilder> configure)
    {
        _types.Add(NewEnum(name, configure));
        return this;
    }

    /// <summary>An enum with one value per member of <typeparamref name="TEnum"/> (see <see cref="EnumTypeBuilder.Members{TEnum}"/>).</summary>
    public SchemaBuilder Enum<TEnum>(string name, Action<EnumTypeBuilder>? configure = null)
        where TEnum : struct, System.Enum =>
        Enum(name, type =>
        {
            type.Members<TEnum>();
            configure?.Invoke(type);
        });

    public SchemaBuilder InputObject(string name, Action<InputObjectTypeBuilder> configure) => Add(new InputObjectTypeBuilder(name), configure);

    public SchemaBuilder Scalar(string name, Action<ScalarTypeBuilder> configure) => Add(new ScalarTypeBuilder(name), configure);

    /// <summary>Adds a scalar defined elsewhere, e.g. one shared by several schemas.</summary>
    public SchemaBuilder Scalar(ScalarType scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        _types.Add(new ExistingScalarBuilder(scalar));
        return this;
    }

    public SchemaBuilder Directive(string name, Action<DirectiveBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var directive = new DirectiveBuilder(name);
        configure(directive);
        _directives.Add(directive);
        return this;
    }

    /// <summary>Creates the schema.</summary>
    /// <exception cref="SchemaValidationException">The definitions break the type system's rules; all problems are listed.</exception>
    public Schema Build()
    {
        var errors = new List<string>();
        var builders = _types.Concat(IntrospectionTypes.Create()).ToList();
        var types = new Dictionary<string, NamedType>(StringComparer.Ordinal);
        foreach (var scalar in BuiltInScalars.All)
        {
            types[scalar.Name] = scalar;
        }

        var created = new List<(NamedTypeBuilder Builder, NamedType Type)>();
        foreach (var builder in builders)
        {
            if (!types.TryAdd(builder.Name, builder.Create()))
            {
                errors.Add($"Schema must contain uniquely named types but contains multiple types named \"{builder.Name}\".");
                continue;
            }

            created.Add((builder, types[builder.Name]));
        }

        var linker = new TypeLinker(types);
        foreach (var (builder, type) in created)
        {
            builder.Complete(type, linker);
        }

        var directives = SpecifiedDirectives.All.Concat(_directives.Select(directive => directive.Build(linker))).ToList();
        foreach (var name in directives.GroupBy(directive => directive.Name).Where(group => group.Count() > 1).Select(group => group.Key))
        {
            errors.Add($"There can be only one directive named \"@{name}\".");
        }

        linker.Finish();
        errors.AddRange(linker.Errors);

        var queryType = RootType(types, _queryTypeName ?? "Query", "Query", errors, required: true);
        var mutationType = RootType(types, _mutationTypeName, "Mutation", errors, required: false);
        var subscriptionType = RootType(types, _subscriptionTypeName, "Subscription", errors, required: false);
        if (errors.Count > 0 || queryType is null)
        {
            throw new SchemaValidationException(errors);
        }

        var typeMap = TypeCollector.Collect(created.Select(pair => pair.Type).Where(type => !type.Name.StartsWith("__", StringComparison.Ordinal)),
            directives, types["__Schema"]);
        var schema = new Schema(_description, queryType, mutationType, subscriptionType, typeMap, directives.Distinct().ToList());
        new SchemaValidator(schema, errors).Validate();
        return errors.Count > 0 ? throw new SchemaValidationException(errors) : schema;
    }

    internal static ObjectTypeBuilder<TSource> NewObject<TSource>(string name, Action<ObjectTypeBuilder<TSource>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ObjectTypeBuilder<TSource>(name);
        configure(builder);
        return builder;
    }

    internal static EnumTypeBuilder NewEnum(string name, Action<EnumTypeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new EnumTypeBuilder(name);
        configure(builder);
        return builder;
    }

    private SchemaBuilder Add<TBuilder>(TBuilder builder, Action<TBuilder> configure)
        where TBuilder : NamedTypeBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder);
        _types.Add(builder);
        return this;
    }

    private static ObjectType? RootType(Dictionary<string, NamedType> types, string? name, string operation, List<string> errors, bool required)
    {
        if (name is null || !types.TryGetValue(name, out var type))
        {
            if (required)
            {
                errors.Add($"{operation} root type must be provided.");
            }

            return null;
        }

        if (type is not ObjectType objectType)
        {
            errors.Add(required
                ? $"{operation} root type must be Object type, it cannot be {name}."
                : $"{operation} root type must be Object type if provided, it cannot be {name}.");
            return null;
        }

        return objectType;
    }
}
