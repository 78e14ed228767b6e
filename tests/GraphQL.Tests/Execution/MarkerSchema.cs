using System.Text.Json;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Execution;

/// <summary>
/// A schema whose every field reads its parent dictionary by name and interprets the markers js/oracle.js gives
/// graphql-js: <c>{"$throw": message}</c> fails, <c>{"$async": value}</c> resolves later, <c>{"$echo": true}</c>
/// returns the coerced arguments as JSON. Given the same JSON root value, both engines must answer alike.
/// </summary>
internal static class MarkerSchema
{
    public static Schema Build() => new SchemaBuilder()
        .Query(query => Fields(query,
            ("hello", "String"), ("int", "Int"), ("float", "Float"), ("bool", "Boolean"), ("id", "ID"), ("text", "String!"),
            ("list", "[Int]"), ("nonNullList", "[Int!]!"), ("listOfNonNull", "[Int!]"), ("nested", "[[Int!]]"),
            ("obj", "Obj"), ("nonNullObj", "Obj!"), ("objs", "[Obj!]"), ("node", "Node"), ("search", "[Result]"),
            ("color", "Color"), ("colors", "[Color!]"))
            .Field("echo", "String", field => field
                .Argument("s", "String").Argument("i", "Int").Argument("f", "Float").Argument("b", "Boolean").Argument("id", "ID")
                .Argument("e", "Color").Argument("list", "[Int]").Argument("input", "In").Argument("ids", "[ID!]")
                .Argument("d", "Int", 7).Argument("req", "String", argument => argument.Default("x"))
                .ResolveWith(Resolver("echo"))))
        .Mutation(mutation => Fields(mutation, ("first", "Int"), ("second", "Obj"), ("third", "Int!")))
        .Object<object>("Obj", obj => Fields(obj,
            ("a", "String"), ("b", "Int!"), ("c", "Obj"), ("fail", "String"), ("failNonNull", "String!"), ("items", "[Obj]"), ("tags", "[String!]!")))
        .Interface("Node", node => node.Field("id", "ID!"))
        .Object<object>("User", user => Fields(user.Implements("Node"), ("id", "ID!"), ("name", "String")))
        .Object<object>("Post", post => Fields(post.Implements("Node"), ("id", "ID!"), ("title", "String")))
        .Union("Result", "User", "Post")
        .Enum("Color", color => color.Value("RED").Value("GREEN").Value("BLUE"))
        .InputObject("In", input => input.Field("x", "Int", 5).Field("y", "String!").Field("nested", "In").Field("list", "[Int]"))
        .Build();

    private static ObjectTypeBuilder<object> Fields(ObjectTypeBuilder<object> type, params (string Name, string Type)[] fields)
    {
        foreach (var (name, fieldType) in fields)
        {
            type.Field(name, fieldType, field => field.ResolveWith(Resolver(name)));
        }

        return type;
    }

    private static FieldResolver Resolver(string name) => context =>
    {
        var value = (context.Parent as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault(name);
        return Interpret(value, context);
    };

    private static ValueTask<object?> Interpret(object? value, FieldContext context)
    {
        if (value is not IReadOnlyDictionary<string, object?> marker)
        {
            return new ValueTask<object?>(value);
        }

        if (marker.TryGetValue("$throw", out var message))
        {
            throw new GraphQLException((string)message!, "TEST_FAILURE");
        }

        if (marker.ContainsKey("$echo"))
        {
            return new ValueTask<object?>(JsonSerializer.Serialize(context.Arguments));
        }

        return marker.TryGetValue("$async", out var inner) ? LaterAsync(inner, context) : new ValueTask<object?>(value);
    }

    private static async ValueTask<object?> LaterAsync(object? inner, FieldContext context)
    {
        await Task.Delay(1, context.CancellationToken);
        return await Interpret(inner, context);
    }
}
