using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Introspection;

/// <summary>
/// The fields every query can select without the schema declaring them (spec 4.1): <c>__schema</c> and
/// <c>__type(name:)</c> on the query root, <c>__typename</c> on any object, interface or union.
/// </summary>
public sealed class MetaFields
{
    internal MetaFields(Schema schema)
    {
        var schemaType = (ObjectType)schema.GetType("__Schema")!;
        var typeType = (ObjectType)schema.GetType("__Type")!;
        SchemaField = new FieldDefinition("__schema", new NonNullType(schemaType), [],
            context => new ValueTask<object?>(context.Schema), "Access the current type schema of this server.", deprecationReason: null);
        TypeField = new FieldDefinition(
            "__type",
            typeType,
            [new InputValueDefinition("name", new NonNullType(BuiltInScalars.String), null, null, null, null)],
            context => new ValueTask<object?>(context.Schema.GetType(context.Argument<string>("name"))),
            "Request the type information of a single type.",
            deprecationReason: null);
        TypeNameField = new FieldDefinition("__typename", new NonNullType(BuiltInScalars.String), [],
            context => new ValueTask<object?>(context.ParentType.Name), "The name of the current Object type at runtime.", deprecationReason: null);
    }

    public FieldDefinition SchemaField { get; }

    public FieldDefinition TypeField { get; }

    public FieldDefinition TypeNameField { get; }

    /// <summary>
    /// The definition of field <paramref name="name"/> on <paramref name="parentType"/>, meta fields included
    /// (graphql-js getFieldDef); null when there is none.
    /// </summary>
    internal FieldDefinition? Lookup(Schema schema, NamedType parentType, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            switch (name)
            {
                case "__schema" when ReferenceEquals(parentType, schema.QueryType):
                    return SchemaField;
                case "__type" when ReferenceEquals(parentType, schema.QueryType):
                    return TypeField;
                case "__typename" when parentType.IsCompositeType:
                    return TypeNameField;
            }
        }

        return (parentType as FieldsType)?.GetField(name);
    }
}
