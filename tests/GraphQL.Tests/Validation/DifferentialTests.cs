using System.Text.Json.Nodes;
using MusicSearch.GraphQL.Tests.Conformance;
using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Tests.Validation;

/// <summary>
/// The differential test of issue 6: graphql-js 16.15 (in one Node process) and our engine validate every document
/// of <see cref="ValidationCorpus"/> against our schema as printed SDL, and must agree on accepting or rejecting it,
/// and on every error's message and locations, in order.
/// </summary>
public class DifferentialTests(DifferentialTests.Oracle oracle) : IClassFixture<DifferentialTests.Oracle>
{
    public static TheoryData<string> Documents => [.. ValidationCorpus.Names];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Graphql_js_and_our_engine_agree(string name)
    {
        var ours = ValidationCorpus.Validate(ValidationCorpus.Read(name));
        var answer = oracle.Answers[name];

        Assert.Equal(ValidationCorpus.IsExpectedValid(name), ours.Count == 0);
        if (answer["error"] is JsonObject thrown)
        {
            // graphql-js 16 throws from validation for a subscription condition it cannot evaluate; we report it.
            Assert.NotEmpty(ours);
            Assert.Equal(Describe(thrown), ours[^1]);
            return;
        }

        Assert.Equal([.. answer["errors"]!.AsArray().Select(error => Describe(error!.AsObject()))], ours);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Each_document_exercises_the_rule_of_its_folder(string name)
    {
        var folder = ValidationCorpus.Folder(name);
        if (folder == ValidationCorpus.MixedFolder)
        {
            return;
        }

        var rule = ValidationCorpus.RuleOf(folder);
        Assert.True(rule is not null, $"No specified rule is named {folder}Rule.");
        var errors = ValidationCorpus.Validate(ValidationCorpus.Read(name), [rule]);
        Assert.Equal(ValidationCorpus.IsExpectedValid(name), errors.Count == 0);
    }

    [Fact]
    public void The_corpus_covers_every_rule_both_ways_with_at_least_200_documents()
    {
        var folders = ValidationCorpus.Names.GroupBy(ValidationCorpus.Folder).ToDictionary(group => group.Key, group => group.ToList());
        var ruleFolders = SpecifiedRules.All.Select(rule => rule.GetType().Name[..^"Rule".Length]).ToList();

        Assert.True(ValidationCorpus.Names.Count >= 200, $"Only {ValidationCorpus.Names.Count} documents.");
        Assert.Equal([.. ruleFolders.Append(ValidationCorpus.MixedFolder).Order(StringComparer.Ordinal)], folders.Keys.Order(StringComparer.Ordinal));
        Assert.All(folders, folder =>
        {
            Assert.Contains(folder.Value, ValidationCorpus.IsExpectedValid);
            Assert.Contains(folder.Value, name => !ValidationCorpus.IsExpectedValid(name));
        });
    }

    private static string Describe(JsonObject error)
    {
        var message = (string)error["message"]!;
        var locations = error["locations"]?.AsArray().Select(location => $"{location!["line"]}:{location["column"]}").ToList() ?? [];
        return locations.Count == 0 ? message : $"{message} ({string.Join(", ", locations)})";
    }

    /// <summary>graphql-js's verdict on every corpus document, asked in one batch.</summary>
    public sealed class Oracle : IAsyncLifetime
    {
        public IReadOnlyDictionary<string, JsonObject> Answers { get; private set; } = new Dictionary<string, JsonObject>();

        public async Task InitializeAsync()
        {
            var names = ValidationCorpus.Names;
            var answers = await GraphQLJs.AskAsync(names.Select(name =>
                GraphQLJs.Request("validate", ("sdl", ValidationSchema.Sdl), ("query", ValidationCorpus.Read(name)))));
            Answers = names.Zip(answers).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
