using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Types;

public class SchemaBuilderTests
{
    [Fact]
    public void Types_refer_to_each_other_by_name_and_keep_declaration_order()
    {
        var schema = RichSchema.Build();

        var track = Assert.IsType<ObjectType>(schema.GetType("Track"));
        Assert.Equal(["Playable", "Node"], track.Interfaces.Select(type => type.Name));
        Assert.Equal("[Track!]", track.GetField("similar")!.Type.ToString());
        Assert.Same(track, track.GetField("similar")!.Type.Named);
        Assert.Equal(["Track", "Artist"], ((UnionType)schema.GetType("SearchResult")!).Types.Select(type => type.Name));
        Assert.Equal(["Track"], schema.GetPossibleTypes((NamedType)schema.GetType("Playable")!).Select(type => type.Name));
        Assert.Equal(["Track", "Artist"], schema.GetPossibleTypes((NamedType)schema.GetType("Node")!).Select(type => type.Name));
        Assert.True(schema.IsSubType((NamedType)schema.GetType("Node")!, (NamedType)schema.GetType("Playable")!));
        Assert.Equal("Query", schema.QueryType.Name);
        Assert.Equal("Mutation", schema.MutationType!.Name);
        Assert.Null(schema.SubscriptionType);
    }

    [Fact]
    public void The_type_map_lists_declared_types_then_referenced_built_ins_then_introspection()
    {
        var names = RichSchema.Build().Types.Select(type => type.Name).ToList();

        Assert.Equal("Query", names[0]);
        Assert.True(names.IndexOf("ID") < names.IndexOf("Mutation"));
        Assert.Equal("__Schema", names[names.IndexOf("__Schema")]);
        Assert.True(names.IndexOf("DateTime") < names.IndexOf("__Schema"));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Defaults_are_kept_as_literal_and_as_internal_value()
    {
        var schema = RichSchema.Build();
        var search = schema.QueryType.GetField("search")!;

        Assert.Equal("[CALM, VERY_ENERGETIC]", Printer.Print(search.GetArgument("moods")!.DefaultLiteral!));
        Assert.Equal(new object[] { RichSchema.Mood.Calm, RichSchema.Mood.VeryEnergetic }, (object?[])search.GetArgument("moods")!.DefaultValue!);
        var filter = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(search.GetArgument("filter")!.DefaultValue);
        Assert.Equal(1990, filter["minYear"]);
        Assert.Equal(RichSchema.Mood.Energetic, filter["mood"]);
        Assert.False(filter.ContainsKey("legacy"));
        Assert.Equal(10, search.GetArgument("first")!.DefaultValue);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<SchemaValidationException>(() => new SchemaBuilder()
            .Query(query => query
                .Field("a", "Missing")
                .Field("b", "In")
                .Field("c", "String", field => field.Argument("x", "Obj"))
                .Field("d", "[Int")
                .Field("bad-name", "Int"))
            .Object<object>("Obj", type => type.Implements("Face").Field("other", "Int"))
            .Interface("Face", type => type.Field("id", "ID!").Field("f", "Int", field => field.Argument("a", "Int")))
            .InputObject("In", type => type.Field("self", "In!").Field("n", "Int!", field => field.Deprecated()))
            .Union("Empty", union => union.Types("Face"))
            .Enum("Nothing", _ => { })
            .Object<object>("Obj", type => type.Field("x", "Int"))
            .Build());

        Assert.Equal(
            [
                "Schema must contain uniquely named types but contains multiple types named \"Obj\".",
                "Unknown type \"Missing\" referenced by Query.a.",
                "The type \"[Int\" of Query.d is not a type reference: Syntax Error: Expected \"]\", found <EOF>.",
                "Union type Empty can only include Object types, it cannot include Face.",
            ],
            error.Errors);
    }

    [Fact]
    public void Type_system_rules_are_checked_once_every_type_resolves()
    {
        var error = Assert.Throws<SchemaValidationException>(() => new SchemaBuilder()
            .Query(query => query
                .Field("b", "In")
                .Field("c", "String", field => field.Argument("x", "Obj").Argument("r", "Int!", argument => argument.Deprecated()))
                .Field("bad_name", "Int")
                .Field("__reserved", "Int"))
            .Object<object>("Obj", type => type.Implements("Face").Field("f", "String", field => field.Argument("extra", "Int!")))
            .Interface("Face", type => type.Implements("Base").Field("id", "ID!").Field("f", "Int", field => field.Argument("a", "Int")))
            .Interface("Base", type => type.Field("id", "ID!"))
            .InputObject("In", type => type.Field("self", "In!").Field("n", "Int!", field => field.Deprecated()))
            .Enum("Nothing", _ => { })
            .Union("Nobody", _ => { })
            .Build());

        Assert.Equal(
            [
                "The type of Query.b must be Output Type but got: In.",
                "The type of Query.c(x:) must be Input Type but got: Obj.",
                "Required argument Query.c(r:) cannot be deprecated.",
                "Name \"__reserved\" must not begin with \"__\", which is reserved by GraphQL introspection.",
                "Required input field In.n cannot be deprecated.",
                "Type Obj must implement Base because it is implemented by Face.",
                "Interface field Face.id expected but Obj does not provide it.",
                "Interface field Face.f expects type Int but Obj.f is type String.",
                "Interface field argument Face.f(a:) expected but Obj.f does not provide it.",
                "Object field Obj.f includes required argument extra that is missing from the Interface field Face.f.",
                "Enum type Nothing must define one or more values.",
                "Union type Nobody must define one or more member types.",
                "Cannot reference Input Object \"In\" within itself through a series of non-null fields: \"self\".",
            ],
            error.Errors);
    }

    [Fact]
    public void A_schema_needs_a_query_type()
    {
        var error = Assert.Throws<SchemaValidationException>(() => new SchemaBuilder().Object<object>("T", type => type.Field("a", "Int")).Build());

        Assert.Equal(["Query root type must be provided."], error.Errors);
    }

    [Fact]
    public void Defaults_that_do_not_fit_their_type_are_rejected()
    {
        var error = Assert.Throws<SchemaValidationException>(() => new SchemaBuilder()
            .Query(query => query.Field("a", "Int", field => field.Argument("x", "Int", "ten").Argument("y", "Int", argument => argument.DefaultLiteral("{"))))
            .Build());

        Assert.Equal(
            [
                "The default value of Query.a(x:) is not a valid Int: Int cannot represent non-integer value: \"ten\"",
                "The default value of Query.a(y:) is not a valid Int: Syntax Error: Expected Name, found <EOF>.",
            ],
            error.Errors);
    }

    [Fact]
    public void An_asynchronous_lambda_given_to_Resolve_is_caught_when_the_schema_is_written()
    {
        Assert.Throws<ArgumentException>(() => new SchemaBuilder()
            .Query(query => query.Field("a", "Int", field => field.Resolve(async context => await Task.FromResult(1)))));
    }
}
