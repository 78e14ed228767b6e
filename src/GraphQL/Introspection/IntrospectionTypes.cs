using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Introspection;

/// <summary>
/// The introspection types (spec 4.2) as graphql-js 16.15 defines them, descriptions included, built with the same
/// builder as any schema; their resolvers read the type system objects themselves.
/// </summary>
internal static class IntrospectionTypes
{
    public static IEnumerable<NamedTypeBuilder> Create() =>
    [
        SchemaBuilder.NewObject<Schema>("__Schema", SchemaType),
        SchemaBuilder.NewObject<GraphQLType>("__Type", TypeType),
        SchemaBuilder.NewEnum("__TypeKind", TypeKindType),
        SchemaBuilder.NewObject<FieldDefinition>("__Field", FieldType),
        SchemaBuilder.NewObject<InputValueDefinition>("__InputValue", InputValueType),
        SchemaBuilder.NewObject<EnumValueDefinition>("__EnumValue", EnumValueType),
        SchemaBuilder.NewObject<DirectiveDefinition>("__Directive", DirectiveType),
        SchemaBuilder.NewEnum("__DirectiveLocation", DirectiveLocationType),
    ];

    private static void SchemaType(ObjectTypeBuilder<Schema> type) => type
        .Description("A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.")
        .Field("description", "String", schema => schema.Description)
        .Field("types", "[__Type!]!", field => field
            .Description("A list of all types supported by this server.")
            .Resolve(context => context.Parent.Types))
        .Field("queryType", "__Type!", field => field
            .Description("The type that query operations will be rooted at.")
            .Resolve(context => context.Parent.QueryType))
        .Field("mutationType", "__Type", field => field
            .Description("If this server supports mutation, the type that mutation operations will be rooted at.")
            .Resolve(context => context.Parent.MutationType))
        .Field("subscriptionType", "__Type", field => field
            .Description("If this server support subscription, the type that subscription operations will be rooted at.")
            .Resolve(context => context.Parent.SubscriptionType))
        .Field("directives", "[__Directive!]!", field => field
            .Description("A list of all directives supported by this server.")
            .Argument("includeDeprecated", "Boolean!", false)
            .Resolve(context => context.Parent.Directives));

    private static void TypeType(ObjectTypeBuilder<GraphQLType> type) => type
        .Description("The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.")
        .Field("kind", "__TypeKind!", graphQLType => graphQLType.Kind)
        .Field("name", "String", graphQLType => (graphQLType as NamedType)?.Name)
        .Field("description", "String", graphQLType => (graphQLType as NamedType)?.Description)
        .Field("specifiedByURL", "String", graphQLType => (graphQLType as ScalarType)?.SpecifiedByUrl)
        .Field("fields", "[__Field!]", field => field
            .Argument("includeDeprecated", "Boolean", false)
            .Resolve(context => (context.Parent as FieldsType)?.Fields.Where(f => IncludeDeprecated(context.Arguments) || !f.IsDeprecated).ToList()))
        .Field("interfaces", "[__Type!]", graphQLType => (graphQLType as FieldsType)?.Interfaces)
        .Field("possibleTypes", "[__Type!]", field => field
            .Resolve(context => context.Parent.IsAbstractType ? context.Untyped.Schema.GetPossibleTypes((NamedType)context.Parent) : null))
        .Field("enumValues", "[__EnumValue!]", field => field
            .Argument("includeDeprecated", "Boolean", false)
            .Resolve(context => (context.Parent as EnumType)?.Values.Where(v => IncludeDeprecated(context.Arguments) || !v.IsDeprecated).ToList()))
        .Field("inputFields", "[__InputValue!]", field => field
            .Argument("includeDeprecated", "Boolean", false)
            .Resolve(context => (context.Parent as InputObjectType)?.Fields.Where(f => IncludeDeprecated(context.Arguments) || !f.IsDeprecated).ToList()))
        .Field("ofType", "__Type", graphQLType => graphQLType switch
        {
            ListType list => list.OfType,
            NonNullType nonNull => nonNull.OfType,
            _ => null,
        })
        .Field("isOneOf", "Boolean", graphQLType => (graphQLType as InputObjectType)?.IsOneOf);

    private static void TypeKindType(EnumTypeBuilder type) => type
        .Description("An enum describing what kind of type a given `__Type` is.")
        .Value("SCALAR", TypeKind.SCALAR, "Indicates this type is a scalar.")
        .Value("OBJECT", TypeKind.OBJECT, "Indicates this type is an object. `fields` and `interfaces` are valid fields.")
        .Value("INTERFACE", TypeKind.INTERFACE, "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields.")
        .Value("UNION", TypeKind.UNION, "Indicates this type is a union. `possibleTypes` is a valid field.")
        .Value("ENUM", TypeKind.ENUM, "Indicates this type is an enum. `enumValues` is a valid field.")
        .Value("INPUT_OBJECT", TypeKind.INPUT_OBJECT, "Indicates this type is an input object. `inputFields` is a valid field.")
        .Value("LIST", TypeKind.LIST, "Indicates this type is a list. `ofType` is a valid field.")
        .Value("NON_NULL", TypeKind.NON_NULL, "Indicates this type is a non-null. `ofType` is a valid field.");

    private static void FieldType(ObjectTypeBuilder<FieldDefinition> type) => type
        .Description("Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.")
        .Field("name", "String!", field => field.Name)
        .Field("description", "String", field => field.Description)
        .Field("args", "[__InputValue!]!", field => field
            .Argument("includeDeprecated", "Boolean", false)
            .Resolve(context => context.Parent.Arguments.Where(a => IncludeDeprecated(context.Arguments) || !a.IsDeprecated).ToList()))
        .Field("type", "__Type!", field => field.Type)
        .Field("isDeprecated", "Boolean!", field => field.IsDeprecated)
        .Field("deprecationReason", "String", field => field.DeprecationReason);

    private static void InputValueType(ObjectTypeBuilder<InputValueDefinition> type) => type
        .Description("Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.")
        .Field("name", "String!", value => value.Name)
        .Field("description", "String", value => value.Description)
        .Field("type", "__Type!", value => value.Type)
        .Field("defaultValue", "String", field => field
            .Description("A GraphQL-formatted string representing the default value for this input value.")
            .Resolve(context => context.Parent.DefaultLiteral is { } literal ? Printer.Print(literal) : null))
        .Field("isDeprecated", "Boolean!", value => value.IsDeprecated)
        .Field("deprecationReason", "String", value => value.DeprecationReason);

    private static void EnumValueType(ObjectTypeBuilder<EnumValueDefinition> type) => type
        .Description("One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.")
        .Field("name", "String!", value => value.Name)
        .Field("description", "String", value => value.Description)
        .Field("isDeprecated", "Boolean!", value => value.IsDeprecated)
        .Field("deprecationReason", "String", value => value.DeprecationReason);

    private static void DirectiveType(ObjectTypeBuilder<DirectiveDefinition> type) => type
        .Description("A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.")
        .Field("name", "String!", directive => directive.Name)
        .Field("description", "String", directive => directive.Description)
        .Field("isRepeatable", "Boolean!", directive => directive.IsRepeatable)
        .Field("locations", "[__DirectiveLocation!]!", directive => directive.Locations)
        .Field("args", "[__InputValue!]!", field => field
            .Argument("includeDeprecated", "Boolean", false)
            .Resolve(context => context.Parent.Arguments.Where(a => IncludeDeprecated(context.Arguments) || !a.IsDeprecated).ToList()))
        .Field("isDeprecated", "Boolean!", _ => false)
        .Field("deprecationReason", "String", _ => (string?)null);

    private static void DirectiveLocationType(EnumTypeBuilder type)
    {
        type.Description("A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.");
        foreach (var (location, description) in LocationDescriptions)
        {
            type.Value(location.ToString(), location, description);
        }
    }

    private static readonly (DirectiveLocation Location, string Description)[] LocationDescriptions =
    [
        (DirectiveLocation.QUERY, "Location adjacent to a query operation."),
        (DirectiveLocation.MUTATION, "Location adjacent to a mutation operation."),
        (DirectiveLocation.SUBSCRIPTION, "Location adjacent to a subscription operation."),
        (DirectiveLocation.FIELD, "Location adjacent to a field."),
        (DirectiveLocation.FRAGMENT_DEFINITION, "Location adjacent to a fragment definition."),
        (DirectiveLocation.FRAGMENT_SPREAD, "Location adjacent to a fragment spread."),
        (DirectiveLocation.INLINE_FRAGMENT, "Location adjacent to an inline fragment."),
        (DirectiveLocation.VARIABLE_DEFINITION, "Location adjacent to a variable definition."),
        (DirectiveLocation.SCHEMA, "Location adjacent to a schema definition."),
        (DirectiveLocation.SCALAR, "Location adjacent to a scalar definition."),
        (DirectiveLocation.OBJECT, "Location adjacent to an object type definition."),
        (DirectiveLocation.FIELD_DEFINITION, "Location adjacent to a field definition."),
        (DirectiveLocation.ARGUMENT_DEFINITION, "Location adjacent to an argument definition."),
        (DirectiveLocation.INTERFACE, "Location adjacent to an interface definition."),
        (DirectiveLocation.UNION, "Location adjacent to a union definition."),
        (DirectiveLocation.ENUM, "Location adjacent to an enum definition."),
        (DirectiveLocation.ENUM_VALUE, "Location adjacent to an enum value definition."),
        (DirectiveLocation.INPUT_OBJECT, "Location adjacent to an input object type definition."),
        (DirectiveLocation.INPUT_FIELD_DEFINITION, "Location adjacent to an input object field definition."),
        (DirectiveLocation.DIRECTIVE_DEFINITION, "Location adjacent to a directive definition."),
    ];

    private static bool IncludeDeprecated(IReadOnlyDictionary<string, object?> arguments) =>
        arguments.GetValueOrDefault("includeDeprecated") is true;
}
