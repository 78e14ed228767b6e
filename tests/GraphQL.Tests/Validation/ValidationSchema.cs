using System.Globalization;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Validation;

/// <summary>
/// The schema the validation rules are tested against, and which graphql-js reads as SDL for the differential
/// corpus: interfaces implementing interfaces, unions, enums with a deprecated value, input objects (nested, with
/// defaults, required fields, @oneOf), lists and non-nulls at every depth, arguments with defaults, a custom scalar,
/// deprecated fields, all three root types, and custom directives at executable locations.
/// </summary>
internal static class ValidationSchema
{
    public static Schema Instance { get; } = Build();

    /// <summary>The schema as SDL, as graphql-js reads it.</summary>
    public static string Sdl { get; } = SchemaPrinter.Print(Instance);

    private static Schema Build() => new SchemaBuilder()
        .Query(query => query
            .Field("node", "Node", field => field.Argument("id", "ID!"))
            .Field("pet", "Pet", field => field.Argument("id", "ID"))
            .Field("dog", "Dog", field => field.Argument("id", "ID"))
            .Field("cat", "Cat")
            .Field("person", "Person", field => field.Argument("id", "ID!"))
            .Field("people", "[Person!]!", field => field
                .Argument("filter", "PersonFilter")
                .Argument("first", "Int", 10)
                .Argument("after", "String"))
            .Field("search", "[SearchResult]", field => field
                .Argument("text", "String!")
                .Argument("kinds", "[Kind!]", argument => argument.DefaultLiteral("[DOG, CAT]")))
            .Field("creature", "Creature")
            .Field("named", "[Named]")
            .Field("adoptable", "[Pet]", field => field.Argument("filter", "PetFilter"))
            .Field("byKey", "Pet", field => field.Argument("key", "PetKey"))
            .Field("requireKey", "Pet", field => field.Argument("key", "PetKey!"))
            .Field("numbers", "Int", field => field.Argument("values", "[Int!]!").Argument("matrix", "[[Float]]"))
            .Field("complex", "String", field => field.Argument("input", "ComplexInput"))
            .Field("echo", "String", field => field
                .Argument("text", "String")
                .Argument("when", "Date")
                .Argument("flag", "Boolean")
                .Argument("ratio", "Float")
                .Argument("count", "Int")
                .Argument("id", "ID")
                .Argument("kind", "Kind")
                .Argument("command", "Command"))
            .Field("required", "String", field => field.Argument("count", "Int!").Argument("label", "String!", "x"))
            .Field("oldest", "Person", field => field.Deprecated("Use `people`."))
            .Field("flag", "Boolean!"))
        .Mutation(mutation => mutation
            .Field("adopt", "Pet", field => field.Argument("petId", "ID!").Argument("owner", "ID!").Argument("note", "String"))
            .Field("rename", "Dog", field => field.Argument("input", "RenameInput!"))
            .Field("forget", "Boolean!", field => field.Argument("id", "ID!")))
        .Subscription(subscription => subscription
            .Field("petAdopted", "Pet", field => field.Argument("kind", "Kind"))
            .Field("personChanged", "Person", field => field.Argument("id", "ID!"))
            .Field("ticks", "Int"))
        .Interface("Node", node => node.Field("id", "ID!"))
        .Interface("Named", named => named.Field("name", "String", field => field.Argument("upper", "Boolean", false)))
        .Interface("Creature", creature => creature
            .Implements("Named")
            .Field("name", "String", field => field.Argument("upper", "Boolean", false))
            .Field("legs", "Int"))
        .Object<object>("Dog", dog => dog
            .Implements("Node", "Creature", "Named")
            .Field("id", "ID!")
            .Field("name", "String", field => field.Argument("upper", "Boolean", false))
            .Field("legs", "Int")
            .Field("barks", "Boolean")
            .Field("volume", "Int")
            .Field("knows", "Boolean!", field => field.Argument("command", "Command!"))
            .Field("doesKnow", "Boolean", field => field.Argument("commands", "[Command!]"))
            .Field("owner", "Person")
            .Field("mother", "Dog")
            .Field("friends", "[Creature!]!", field => field.Argument("first", "Int", 3))
            .Field("tags", "[String!]")
            .Field("birthday", "Date")
            .Field("nickname", "String", field => field.Deprecated()))
        .Object<object>("Cat", cat => cat
            .Implements("Node", "Creature", "Named")
            .Field("id", "ID!")
            .Field("name", "String", field => field.Argument("upper", "Boolean", false))
            .Field("legs", "Int")
            .Field("meows", "Boolean")
            .Field("volume", "Float")
            .Field("lives", "Int!")
            .Field("owner", "Person")
            .Field("tags", "[String]"))
        .Object<object>("Person", person => person
            .Implements("Node", "Named")
            .Field("id", "ID!")
            .Field("name", "String", field => field.Argument("upper", "Boolean", false))
            .Field("age", "Int")
            .Field("pets", "[Pet!]!")
            .Field("friends", "[Person]")
            .Field("favourite", "Creature")
            .Field("born", "Date"))
        .Union("Pet", "Dog", "Cat")
        .Union("SearchResult", "Dog", "Cat", "Person")
        .Enum("Kind", kind => kind.Value("DOG").Value("CAT").Value("PERSON"))
        .Enum("Command", command => command.Value("SIT").Value("STAY").Value("HEEL").Value("FETCH", deprecationReason: "Dogs stopped fetching."))
        .InputObject("PersonFilter", filter => filter
            .Field("nameContains", "String")
            .Field("minAge", "Int", 0)
            .Field("kinds", "[Kind!]")
            .Field("bornAfter", "Date")
            .Field("or", "[PersonFilter!]"))
        .InputObject("PetFilter", filter => filter
            .Field("kind", "Kind!")
            .Field("minLegs", "Int")
            .Field("tags", "[String!]", argument => argument.DefaultLiteral("[]")))
        .InputObject("ComplexInput", input => input
            .Field("required", "Boolean!")
            .Field("withDefault", "Int!", 1)
            .Field("list", "[String!]")
            .Field("nested", "PersonFilter")
            .Field("legacy", "String", field => field.Deprecated()))
        .InputObject("RenameInput", rename => rename.Field("dogId", "ID!").Field("name", "String!"))
        .InputObject("PetKey", key => key.OneOf().Field("dogId", "ID").Field("catId", "ID"))
        .Scalar("Date", date => date
            .Description("A calendar date, yyyy-MM-dd.")
            .ParseValue(value => ParseDate(value as string, value))
            .ParseLiteral(literal => ParseDate((literal as StringValueNode)?.Value, Printer.Print(literal))))
        .Directive("tag", directive => directive
            .Argument("name", "String!")
            .Repeatable()
            .Locations(
                DirectiveLocation.QUERY, DirectiveLocation.MUTATION, DirectiveLocation.SUBSCRIPTION, DirectiveLocation.FIELD,
                DirectiveLocation.FRAGMENT_DEFINITION, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT,
                DirectiveLocation.VARIABLE_DEFINITION))
        .Directive("cached", directive => directive
            .Argument("seconds", "Int!")
            .Argument("scope", "String", "public")
            .Locations(DirectiveLocation.FIELD, DirectiveLocation.QUERY))
        .Directive("onQuery", directive => directive.Locations(DirectiveLocation.QUERY))
        .Directive("onMutation", directive => directive.Locations(DirectiveLocation.MUTATION))
        .Directive("onVariable", directive => directive.Locations(DirectiveLocation.VARIABLE_DEFINITION))
        .Directive("onFragment", directive => directive.Locations(DirectiveLocation.FRAGMENT_DEFINITION, DirectiveLocation.INLINE_FRAGMENT))
        .Directive("onObject", directive => directive.Locations(DirectiveLocation.OBJECT))
        .Build();

    private static DateOnly ParseDate(string? text, object shown) =>
        text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new GraphQLException($"Date cannot represent {shown}: expected yyyy-MM-dd.");
}
