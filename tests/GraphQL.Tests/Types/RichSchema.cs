using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Types;

/// <summary>A schema with every kind of type and every printing corner (descriptions, defaults, deprecations), for conformance tests.</summary>
internal static class RichSchema
{
    public enum Mood
    {
        Calm,
        Energetic,
        VeryEnergetic,
    }

    public static Schema Build() => new SchemaBuilder()
        .Description("The rich test schema.\nIt has two lines.")
        .Query(query => query
            .Description("Entry points.")
            .Field("node", "Node", field => field.Argument("id", "ID!"))
            .Field("search", "[SearchResult!]!", field => field
                .Description("Searches \"everything\".")
                .Argument("text", "String", argument => argument.Description("What to look for."))
                .Argument("first", "Int", 10)
                .Argument("moods", "[Mood!]", new[] { Mood.Calm, Mood.VeryEnergetic })
                .Argument("filter", "TrackFilter", argument => argument.DefaultLiteral("{minYear: 1990, tags: [\"a\"]}")))
            .Field("tracks", "[Track]", field => field.Argument("by", "TrackKey"))
            .Field("old", "String", field => field.Deprecated())
            .Field("older", "String", field => field.Deprecated("Use `new` instead.\nReally."))
            .Field("when", "DateTime")
            .Field("pi", "Float", field => field.Argument("digits", "Int", argument => argument.Default(2).Deprecated("Always two.")))
            .Field("flag", "Boolean!"))
        .Mutation(mutation => mutation
            .Field("like", "Track", field => field.Argument("id", "ID!").Argument("input", "LikeInput!")))
        .Interface("Node", node => node
            .Description("""
                Anything with an id.
                  Indented line, "quoted".
                """)
            .Field("id", "ID!"))
        .Interface("Playable", playable => playable
            .Implements("Node")
            .Field("id", "ID!")
            .Field("seconds", "Int"))
        .Object<object>("Track", track => track
            .Implements("Playable", "Node")
            .Field("id", "ID!")
            .Field("seconds", "Int")
            .Field("title", "String!", field => field.Description(""))
            .Field("mood", "Mood")
            .Field("tags", "[[String!]]!")
            .Field("similar", "[Track!]", field => field
                .Argument("first", "Int", argument => argument.Description("How many.").Default(5))
                .Argument("mood", "Mood", Mood.Calm)))
        .Object<object>("Artist", artist => artist
            .Implements("Node")
            .Description("Short.")
            .Field("id", "ID!")
            .Field("name", "String")
            .Field("born", "DateTime"))
        .Union("SearchResult", union => union.Description("What search finds.").Types("Track", "Artist"))
        .Enum<Mood>("Mood", mood => mood
            .Description("How a track feels.")
            .Member(Mood.Calm, "Quiet.")
            .Member(Mood.VeryEnergetic, deprecationReason: "Too much."))
        .InputObject("TrackFilter", filter => filter
            .Field("minYear", "Int")
            .Field("tags", "[String!]", argument => argument.Description("Any of these."))
            .Field("mood", "Mood", Mood.Energetic)
            .Field("legacy", "Boolean", field => field.Deprecated()))
        .InputObject("TrackKey", key => key.OneOf().Field("id", "ID").Field("isrc", "String"))
        .InputObject("LikeInput", like => like.Field("strength", "Float!", 1.5).Field("filter", "TrackFilter"))
        .Scalar("DateTime", scalar => scalar.Description("An ISO-8601 instant.").SpecifiedBy("https://scalars.graphql.org/andimarek/date-time"))
        .Directive("cached", directive => directive
            .Description("Caches the field.")
            .Argument("seconds", "Int!", argument => argument.Description("For how long."))
            .Argument("scope", "String", "public")
            .Repeatable()
            .Locations(DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT))
        .Directive("traced", directive => directive.Locations(DirectiveLocation.FIELD, DirectiveLocation.QUERY))
        .Build();
}
