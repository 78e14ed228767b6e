using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Tests.Types;
using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Tests.Validation;

/// <summary>The pieces rules are written with: the parallel walk, type information, fragment and variable helpers.</summary>
public class ValidationFoundationTests
{
    private static readonly MusicSearch.GraphQL.Types.Schema Schema = RichSchema.Build();

    [Fact]
    public void Type_information_follows_selections_fragments_and_values()
    {
        var rule = new RecordingRule();
        var document = Parser.Parse("""
            query Q($f: TrackFilter) {
              search(first: 1, moods: [CALM], filter: {minYear: 2000, tags: ["x"]}) {
                __typename
                ... on Track { title similar(mood: ENERGETIC) { id } }
                ...A
              }
              unknown { x }
            }
            fragment A on Artist { name @include(if: true) }
            """);

        var errors = DocumentValidator.Validate(Schema, document, [rule]);

        Assert.Empty(errors);
        Assert.Equal(
            [
                "field search on Query: [SearchResult!]!",
                "argument first: Int",
                "argument moods: [Mood!]",
                "list item: Mood! in [Mood!]",
                "enum CALM of Mood",
                "argument filter: TrackFilter",
                "object field minYear: Int in TrackFilter",
                "object field tags: [String!] in TrackFilter",
                "list item: String! in [String!]",
                "field __typename on SearchResult: String!",
                "field title on Track: String!",
                "field similar on Track: [Track!]",
                "argument mood: Mood",
                "enum ENERGETIC of Mood",
                "field id on Track: ID!",
                "field unknown on Query: ?",
                "field x on ?: ?",
                "field name on Artist: String",
                "directive include",
                "argument if: Boolean!",
            ],
            rule.Log);
    }

    [Fact]
    public void Fragments_and_variable_usages_are_found_through_spreads_and_cycles()
    {
        var rule = new RecordingRule();
        var document = Parser.Parse("""
            query Q($id: ID!, $n: Int) { node(id: $id) { ...A } }
            fragment A on Node { ... on Track { similar(first: $n) { ...B } } }
            fragment B on Track { ...A similar(mood: $m) { id } }
            """);

        DocumentValidator.Validate(Schema, document, [rule]);

        Assert.Equal(["A", "B"], rule.Fragments);
        Assert.Equal(["id: ID!", "n: Int (default at location)", "m: Mood (default at location)"], rule.Usages);
    }

    [Fact]
    public void A_visitor_that_skips_a_subtree_leaves_the_others_walking_it()
    {
        var skipping = new RecordingRule { SkipFields = true };
        var recording = new RecordingRule();

        DocumentValidator.Validate(Schema, Parser.Parse("{ search { __typename } flag }"), [skipping, recording]);

        Assert.Equal(["field search on Query: [SearchResult!]!", "field flag on Query: Boolean!"], skipping.Log);
        Assert.Equal(3, recording.Log.Count);
    }

    [Fact]
    public void Errors_are_located_coded_and_bounded()
    {
        var document = Parser.Parse(string.Concat(Enumerable.Repeat("{ flag } ", 5)));

        var errors = DocumentValidator.Validate(Schema, document, [new ReportEveryOperation()], maxErrors: 3);

        Assert.Equal(4, errors.Count);
        Assert.Equal(new SourceLocation(1, 10), errors[1].Locations![0]);
        Assert.Equal(ErrorCodes.ValidationFailed, errors[0].Code);
        Assert.Equal("Too many validation errors, error limit reached. Validation aborted.", errors[3].Message);
    }

    [Fact]
    public void Without_rules_every_document_is_valid()
    {
        Assert.Empty(DocumentValidator.Validate(Schema, Parser.Parse("{ nothing { at all } }"), []));
    }

    private sealed class ReportEveryOperation : IValidationRule
    {
        public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

        private sealed class Visitor(ValidationContext context) : AstVisitor
        {
            protected override void Enter(OperationDefinitionNode node) => context.ReportError("An operation.", node);
        }
    }

    private sealed class RecordingRule : IValidationRule
    {
        public bool SkipFields { get; init; }

        public List<string> Log { get; } = [];

        public List<string> Fragments { get; } = [];

        public List<string> Usages { get; } = [];

        public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context, this);

        private sealed class Visitor(ValidationContext context, RecordingRule rule) : AstVisitor
        {
            protected override void Enter(OperationDefinitionNode node)
            {
                rule.Fragments.AddRange(context.GetRecursivelyReferencedFragments(node).Select(fragment => fragment.Name.Value));
                rule.Usages.AddRange(context.GetRecursiveVariableUsages(node).Select(usage =>
                    $"{usage.Node.Name.Value}: {usage.Type}{(usage.LocationHasDefaultValue ? " (default at location)" : "")}"));
            }

            protected override void Enter(FieldNode node)
            {
                rule.Log.Add($"field {node.Name.Value} on {context.ParentType?.Name ?? "?"}: {context.Type?.ToString() ?? "?"}");
                if (rule.SkipFields)
                {
                    SkipChildren();
                }
            }

            protected override void Enter(ArgumentNode node) => rule.Log.Add($"argument {node.Name.Value}: {context.InputType}");

            protected override void Enter(DirectiveNode node) => rule.Log.Add($"directive {context.Directive?.Name}");

            protected override void Enter(ListValueNode node)
            {
            }

            protected override void Enter(IntValueNode node)
            {
            }

            protected override void Enter(StringValueNode node)
            {
                if (context.ParentInputType is not null)
                {
                    rule.Log.Add($"list item: {context.InputType} in {context.ParentInputType}");
                }
            }

            protected override void Enter(EnumValueNode node)
            {
                if (context.ParentInputType is not null)
                {
                    rule.Log.Add($"list item: {context.InputType} in {context.ParentInputType}");
                }

                rule.Log.Add($"enum {node.Value} of {context.InputType?.Named}");
            }

            protected override void Enter(ObjectFieldNode node) =>
                rule.Log.Add($"object field {node.Name.Value}: {context.InputType} in {context.ParentInputType}");
        }
    }
}
