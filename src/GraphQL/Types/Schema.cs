using MusicSearch.GraphQL.Introspection;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// A validated, immutable schema: root types, every named type (user types, the built-in scalars used, the
/// introspection types) and directives. Build one with <see cref="SchemaBuilder"/>.
/// </summary>
public sealed class Schema
{
    private readonly Dictionary<string, NamedType> _typesByName;
    private readonly Dictionary<string, DirectiveDefinition> _directivesByName;
    private readonly Dictionary<NamedType, IReadOnlyList<ObjectType>> _possibleTypes = [];
    private readonly Dictionary<NamedType, HashSet<NamedType>> _subTypes = [];

    internal Schema(string? description, ObjectType queryType, ObjectType? mutationType, ObjectType? subscriptionType,
        IReadOnlyList<NamedType> types, IReadOnlyList<DirectiveDefinition> directives)
    {
        Description = description;
        QueryType = queryType;
        MutationType = mutationType;
        SubscriptionType = subscriptionType;
        Types = types;
        Directives = directives;
        _typesByName = types.ToDictionary(type => type.Name, StringComparer.Ordinal);
        _directivesByName = directives.ToDictionary(directive => directive.Name, StringComparer.Ordinal);
        IndexAbstractTypes();
        MetaFields = new MetaFields(this);
    }

    public string? Description { get; }

    public ObjectType QueryType { get; }

    public ObjectType? MutationType { get; }

    public ObjectType? SubscriptionType { get; }

    /// <summary>Every named type, in the order introspection lists them.</summary>
    public IReadOnlyList<NamedType> Types { get; }

    public IReadOnlyList<DirectiveDefinition> Directives { get; }

    /// <summary>The introspection fields <c>__schema</c>, <c>__type</c> and <c>__typename</c>, bound to this schema.</summary>
    public MetaFields MetaFields { get; }

    public NamedType? GetType(string name) => _typesByName.GetValueOrDefault(name);

    /// <summary>
    /// The definition of the field <paramref name="name"/> selected on <paramref name="parentType"/>, including the
    /// meta fields <c>__schema</c>, <c>__type</c> and <c>__typename</c> (graphql-js getFieldDef); null when none.
    /// </summary>
    public FieldDefinition? GetFieldDefinition(NamedType parentType, string name)
    {
        ArgumentNullException.ThrowIfNull(parentType);
        ArgumentNullException.ThrowIfNull(name);
        return MetaFields.Lookup(this, parentType, name);
    }

    public DirectiveDefinition? GetDirective(string name) => _directivesByName.GetValueOrDefault(name);

    public ObjectType? GetRootType(Language.Ast.OperationType operation) => operation switch
    {
        Language.Ast.OperationType.Query => QueryType,
        Language.Ast.OperationType.Mutation => MutationType,
        _ => SubscriptionType,
    };

    /// <summary>The object types a value of an interface or union can have at runtime; just itself for an object type.</summary>
    public IReadOnlyList<ObjectType> GetPossibleTypes(NamedType type) => type switch
    {
        ObjectType objectType => [objectType],
        _ => _possibleTypes.GetValueOrDefault(type) ?? [],
    };

    /// <summary>
    /// Whether <paramref name="maybeSubType"/> is a member of the union, or implements the interface, <paramref name="abstractType"/>.
    /// </summary>
    public bool IsSubType(NamedType abstractType, NamedType maybeSubType) =>
        _subTypes.TryGetValue(abstractType, out var subTypes) && subTypes.Contains(maybeSubType);

    private void IndexAbstractTypes()
    {
        foreach (var type in Types)
        {
            switch (type)
            {
                case UnionType union:
                    _possibleTypes[union] = union.Types;
                    _subTypes[union] = [.. union.Types];
                    break;
                case FieldsType fieldsType:
                    foreach (var implemented in fieldsType.Interfaces)
                    {
                        if (!_subTypes.TryGetValue(implemented, out var subTypes))
                        {
                            _subTypes[implemented] = subTypes = [];
                        }

                        subTypes.Add(fieldsType);
                    }

                    break;
            }
        }

        foreach (var type in Types.OfType<InterfaceType>())
        {
            _subTypes.TryAdd(type, []);
            _possibleTypes[type] = [.. Types.OfType<ObjectType>().Where(objectType => _subTypes[type].Contains(objectType))];
        }
    }
}
