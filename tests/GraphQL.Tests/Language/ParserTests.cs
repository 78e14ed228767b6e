using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Tests.Language;

public class ParserTests
{
    [Fact]
    public void A_query_with_every_executable_construct_parses_into_the_expected_tree()
    {
        var document = Parser.Parse("""
            query Tracks($first: Int = 10, $filter: Filter @track) @live {
              top: tracks(first: $first, filter: $filter) {
                id
                ... on Track @include(if: true) { title }
                ...More
              }
            }
            fragment More on Track { artist { name } }
            """);

        var operation = Assert.IsType<OperationDefinitionNode>(document.Definitions[0]);
        Assert.Equal(OperationType.Query, operation.Operation);
        Assert.Equal("Tracks", operation.Name!.Value);
        Assert.Equal(2, operation.VariableDefinitions.Count);
        Assert.Equal("first", operation.VariableDefinitions[0].Variable.Name.Value);
        Assert.Equal(new IntValueNode("10") { Location = operation.VariableDefinitions[0].DefaultValue!.Location }, operation.VariableDefinitions[0].DefaultValue);
        Assert.Equal("track", Assert.Single(operation.VariableDefinitions[1].Directives).Name.Value);
        Assert.Equal("live", Assert.Single(operation.Directives).Name.Value);

        var tracks = Assert.IsType<FieldNode>(Assert.Single(operation.SelectionSet.Selections));
        Assert.Equal(("top", "tracks", "top"), (tracks.Alias!.Value, tracks.Name.Value, tracks.ResponseKey));
        Assert.Equal("first", Assert.IsType<VariableNode>(tracks.Arguments[0].Value).Name.Value);
        var inline = Assert.IsType<InlineFragmentNode>(tracks.SelectionSet!.Selections[1]);
        Assert.Equal("Track", inline.TypeCondition!.Name.Value);
        Assert.Equal("More", Assert.IsType<FragmentSpreadNode>(tracks.SelectionSet.Selections[2]).Name.Value);

        var fragment = Assert.IsType<FragmentDefinitionNode>(document.Definitions[1]);
        Assert.Equal(("More", "Track"), (fragment.Name.Value, fragment.TypeCondition.Name.Value));
    }

    [Fact]
    public void The_shorthand_is_an_anonymous_query()
    {
        var operation = Assert.IsType<OperationDefinitionNode>(Assert.Single(Parser.Parse("{ a }").Definitions));

        Assert.Equal(OperationType.Query, operation.Operation);
        Assert.Null(operation.Name);
    }

    [Fact]
    public void Every_literal_kind_is_read_with_its_value()
    {
        var value = Assert.IsType<ObjectValueNode>(Parser.ParseValue(
            "{i: -12, f: 1.5e3, s: \"a\\nb\", b: \"\"\"  x\"\"\", t: true, n: null, e: RED, l: [1, [2]], v: $var}"));

        Assert.Equal(["i", "f", "s", "b", "t", "n", "e", "l", "v"], value.Fields.Select(field => field.Name.Value));
        Assert.Equal("-12", Assert.IsType<IntValueNode>(value.Fields[0].Value).Value);
        Assert.Equal("1.5e3", Assert.IsType<FloatValueNode>(value.Fields[1].Value).Value);
        Assert.Equal(("a\nb", false), (((StringValueNode)value.Fields[2].Value).Value, ((StringValueNode)value.Fields[2].Value).Block));
        Assert.Equal(("  x", true), (((StringValueNode)value.Fields[3].Value).Value, ((StringValueNode)value.Fields[3].Value).Block));
        Assert.True(Assert.IsType<BooleanValueNode>(value.Fields[4].Value).Value);
        Assert.IsType<NullValueNode>(value.Fields[5].Value);
        Assert.Equal("RED", Assert.IsType<EnumValueNode>(value.Fields[6].Value).Value);
        Assert.IsType<ListValueNode>(Assert.IsType<ListValueNode>(value.Fields[7].Value).Values[1]);
        Assert.Equal("var", Assert.IsType<VariableNode>(value.Fields[8].Value).Name.Value);
    }

    [Fact]
    public void Every_node_knows_its_line_and_column()
    {
        var document = Parser.Parse("query Q {\n  a: b(x: [1, 2])\n}");
        var operation = (OperationDefinitionNode)document.Definitions[0];
        var field = (FieldNode)operation.SelectionSet.Selections[0];
        var list = (ListValueNode)field.Arguments[0].Value;

        Assert.Equal(new Location(0, 29, 1, 1), operation.Location);
        Assert.Equal(new Location(8, 29, 1, 9), operation.SelectionSet.Location);
        Assert.Equal(new Location(12, 27, 2, 3), field.Location);
        Assert.Equal(new Location(15, 16, 2, 6), field.Name.Location);
        Assert.Equal(new Location(17, 26, 2, 8), field.Arguments[0].Location);
        Assert.Equal(new Location(24, 25, 2, 15), list.Values[1].Location);
    }

    [Theory]
    [InlineData("{", "Syntax Error: Expected Name, found <EOF>.", 1, 2)]
    [InlineData("", "Syntax Error: Unexpected <EOF>.", 1, 1)]
    [InlineData("{ a(b: $c) }", null, 0, 0)]
    [InlineData("query Q($a: Int = $b) { a }", "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 19)]
    [InlineData("fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 1, 10)]
    [InlineData("{ ...on }", "Syntax Error: Expected Name, found \"}\".", 1, 9)]
    [InlineData("notAnOperation { a }", "Syntax Error: Unexpected Name \"notAnOperation\".", 1, 1)]
    [InlineData("{ a(b: ) }", "Syntax Error: Unexpected \")\".", 1, 8)]
    [InlineData("{ a }}", "Syntax Error: Unexpected \"}\".", 1, 6)]
    [InlineData("query Q(a: Int) { a }", "Syntax Error: Expected \"$\", found Name \"a\".", 1, 9)]
    [InlineData("\"described\" { a }", "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.", 1, 1)]
    [InlineData("\"described\" extend type T @d", "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1)]
    [InlineData("extend scalar S", "Syntax Error: Unexpected <EOF>.", 1, 16)]
    [InlineData("enum E { true }", "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1, 10)]
    public void Syntax_errors_name_the_token_found_and_where(string source, string? message, int line, int column)
    {
        if (message is null)
        {
            Parser.Parse(source);
            return;
        }

        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(source));
        Assert.Equal(message, error.Message);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Fact]
    public void Nesting_past_the_bound_is_a_syntax_error_not_a_stack_overflow()
    {
        var depth = 100_000;
        var source = new string('[', depth) + new string(']', depth);

        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.ParseValue(source));

        Assert.Equal("Syntax Error: Document nests more than 500 levels deep. Parsing aborted.", error.Message);
        Assert.Equal(501, error.Location.Column);
        Parser.ParseValue(new string('[', 500) + new string(']', 500));
    }

    [Fact]
    public void Deep_selection_sets_count_against_the_same_bound()
    {
        var options = new ParserOptions { MaxNestingDepth = 3 };

        Parser.Parse("{ a { b { c } } }", options);
        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("{ a { b { c { d } } } }", options));

        Assert.Equal(new SourceLocation(1, 13), error.Location);
    }

    [Fact]
    public void Token_bound_stops_parsing_early()
    {
        var options = new ParserOptions { MaxTokens = 5 };

        Parser.Parse("{ a b c }", options);  // five tokens: { a b c }
        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("{ a b c d }", options));

        Assert.Equal("Syntax Error: Document contains more than 5 tokens. Parsing aborted.", error.Message);
        Assert.Equal(new SourceLocation(1, 11), error.Location);
    }

    [Theory]
    [InlineData("String", "String")]
    [InlineData("[Int!]!", "[Int!]!")]
    [InlineData(" [ [ ID ] ] ", "[[ID]]")]
    public void Type_references_parse_on_their_own(string source, string printed)
    {
        Assert.Equal(printed, Printer.Print(Parser.ParseType(source)));
    }

    [Fact]
    public void Type_system_definitions_parse()
    {
        var document = Parser.Parse("""
            "The schema" schema @a { query: Q mutation: M }
            scalar Date @specifiedBy(url: "https://example.com")
            type T implements & A & B @d { f(x: Int = 1 @deprecated): [T!] @deprecated(reason: "no") }
            interface I implements A { f: Int }
            union U = | A | B
            enum E { A @deprecated B }
            input In { a: Int = 1, b: [String!]! }
            directive @d(x: Int) repeatable on FIELD_DEFINITION | OBJECT
            extend schema @a
            extend type T { g: Int }
            extend union U = C
            extend enum E { C }
            extend input In { c: Int }
            extend interface I @d
            extend scalar Date @d
            """);

        Assert.Equal(
            [
                NodeKind.SchemaDefinition, NodeKind.ScalarTypeDefinition, NodeKind.ObjectTypeDefinition,
                NodeKind.InterfaceTypeDefinition, NodeKind.UnionTypeDefinition, NodeKind.EnumTypeDefinition,
                NodeKind.InputObjectTypeDefinition, NodeKind.DirectiveDefinition, NodeKind.SchemaExtension,
                NodeKind.ObjectTypeExtension, NodeKind.UnionTypeExtension, NodeKind.EnumTypeExtension,
                NodeKind.InputObjectTypeExtension, NodeKind.InterfaceTypeExtension, NodeKind.ScalarTypeExtension,
            ],
            document.Definitions.Select(definition => definition.Kind));
        var type = (ObjectTypeDefinitionNode)document.Definitions[2];
        Assert.Equal(["A", "B"], type.Interfaces.Select(named => named.Name.Value));
        Assert.Equal(["FIELD_DEFINITION", "OBJECT"], ((DirectiveDefinitionNode)document.Definitions[7]).Locations.Select(name => name.Value));
    }

    [Fact]
    public void Unknown_directive_locations_are_rejected()
    {
        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("directive @d on FIELD | NOWHERE"));

        Assert.Equal("Syntax Error: Unexpected Name \"NOWHERE\".", error.Message);
    }
}
