using System.Diagnostics;
using System.Text;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Validation;
using MusicSearch.GraphQL.Validation.Rules;
using Xunit.Abstractions;

namespace MusicSearch.GraphQL.Tests.Validation;

/// <summary>
/// What documents can cost: large and repetitive documents validate with graphql-js's algorithm within its work
/// budgets, and hostile ones end with graphql-js's "Validation aborted." rather than running long or exhausting
/// the stack.
/// </summary>
public class ValidationLimitsTests(ITestOutputHelper output)
{
    private const string Aborted = "Validation aborted.";

    [Fact]
    public void Fragments_doubling_at_every_level_are_compared_without_being_expanded()
    {
        // Expanded, the selections below would be 2^40 fields; compared as graphql-js does, each pair of fragments once.
        var document = new StringBuilder("{ dog { ...F0 } }\n");
        for (var i = 0; i < 40; i++)
        {
            document.Append($"fragment F{i} on Dog {{ mother {{ ...F{i + 1} }} mother {{ ...F{i + 1} }} m: mother {{ ...F{i + 1} name }} }}\n");
        }

        document.Append("fragment F40 on Dog { name }");

        Assert.Empty(ValidationCorpus.Validate(document.ToString()));
    }

    [Fact]
    public void A_query_of_a_thousand_fields_in_forty_fragments_validates_within_the_budget()
    {
        var document = LargeQuery(fragments: 20, fieldsPerFragment: 25);
        var parsed = Parser.Parse(document);
        var schema = ValidationSchema.Instance;
        Assert.Empty(DocumentValidator.Validate(schema, parsed));

        // Timed, not asserted: the machine may be busy, and a few runs leave the JIT's final optimisations undone.
        const int Runs = 3;
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Runs; i++)
        {
            DocumentValidator.Validate(schema, parsed);
        }

        var wall = clock.Elapsed.TotalMilliseconds / Runs;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalMilliseconds / Runs;
        output.WriteLine($"{document.Length} characters, {CountFields(document)} fields: {wall:F2} ms per validation, {cpu:F2} ms of this process's processor time (other tests included)");
    }

    [Fact]
    public void Comparisons_beyond_graphql_js_budget_abort_validation()
    {
        // 1500 selections of one field make a million pairs to compare; graphql-js stops at half a million units of work.
        var document = "{ dog { " + string.Concat(Enumerable.Repeat("name ", 1500)) + "} }";

        var errors = ValidationCorpus.Validate(document);

        Assert.Equal([Aborted], errors);
    }

    [Fact]
    public void Following_fragments_beyond_graphql_js_budget_aborts_validation()
    {
        // Each operation reaches a chain of 400 fragments through a fragment of its own, so nothing is shared
        // between operations: each costs about 800 units of fragment work out of 50,000.
        Assert.Equal(Aborted, ValidationCorpus.Validate(OperationsThroughFragmentChain(operations: 100, chain: 400))[^1]);
        Assert.Empty(ValidationCorpus.Validate(OperationsThroughFragmentChain(operations: 40, chain: 400)));
    }

    [Fact]
    public void A_deep_fragment_chain_ends_validation_instead_of_the_process()
    {
        // Comparing F0's fields with the chain it spreads nests one call per fragment: 3000 calls deep does not fit
        // a small stack, which ends validation. (Later, the chain would also exceed the work budget, as in graphql-js.)
        Assert.Equal([Aborted], ValidateOnThread(FragmentChain(3000), stackBytes: 256 * 1024));

        // A chain of 300 fits stack and budget both, and is valid.
        Assert.Empty(ValidateOnThread(FragmentChain(300), stackBytes: 16 * 1024 * 1024));
    }

    [Fact]
    public void A_subscription_through_a_deep_fragment_chain_ends_validation_instead_of_the_process()
    {
        const int Length = 10_000;
        var document = "subscription { ...F0 }\n" +
            string.Concat(Enumerable.Range(0, Length).Select(i => $"fragment F{i} on Subscription {{ ...F{i + 1} }}\n")) +
            $"fragment F{Length} on Subscription {{ ticks }}";

        Assert.Equal([Aborted], ValidateOnThread(document, stackBytes: 256 * 1024));
    }

    private static string FragmentChain(int length) =>
        "{ dog { ...F0 } }\n" +
        string.Concat(Enumerable.Range(0, length).Select(i => $"fragment F{i} on Dog {{ name ...F{i + 1} }}\n")) +
        $"fragment F{length} on Dog {{ name }}";

    [Fact]
    public void A_long_fragment_cycle_is_found_without_recursion()
    {
        const int Length = 10_000;
        var document = string.Concat(Enumerable.Range(0, Length).Select(i => $"fragment F{i} on Dog {{ ...F{(i + 1) % Length} }}\n"));

        var error = Assert.Single(ValidateOnThread(document, stackBytes: 256 * 1024, [new NoFragmentCyclesRule()]));

        Assert.StartsWith("Cannot spread fragment \"F0\" within itself via \"F1\", \"F2\"", error, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> ValidateOnThread(string document, int stackBytes, IReadOnlyList<IValidationRule>? rules = null)
    {
        IReadOnlyList<string> errors = [];
        var thread = new Thread(() => errors = ValidationCorpus.Validate(document, rules), stackBytes);
        thread.Start();
        thread.Join();
        return errors;
    }

    private static string OperationsThroughFragmentChain(int operations, int chain) =>
        string.Concat(Enumerable.Range(0, operations).Select(i => $"query Q{i} {{ ...S{i} }}\nfragment S{i} on Query {{ ...H0 }}\n")) +
        string.Concat(Enumerable.Range(0, chain).Select(i => $"fragment H{i} on Query {{ ...H{i + 1} }}\n")) +
        $"fragment H{chain} on Query {{ flag }}";

    /// <summary>Dogs and people, each selected through fragments spread side by side that share response names.</summary>
    private static string LargeQuery(int fragments, int fieldsPerFragment)
    {
        string[] dogFields = ["name", "legs", "barks", "volume", "id", "nickname", "birthday", "tags"];
        string[] personFields = ["name", "age", "id", "born"];
        var document = new StringBuilder("query Large($first: Int, $upper: Boolean) {\n  dog { ");
        document.AppendJoin(' ', Enumerable.Range(0, fragments).Select(i => $"...D{i}")).Append(" }\n  people(first: $first) { ");
        document.AppendJoin(' ', Enumerable.Range(0, fragments).Select(i => $"...P{i}")).Append(" }\n}\n");
        for (var i = 0; i < fragments; i++)
        {
            document.Append($"fragment D{i} on Dog {{ ");
            document.AppendJoin(' ', Enumerable.Range(0, fieldsPerFragment).Select(f => $"d{f}: {dogFields[f % dogFields.Length]}"));
            document.Append($" owner {{ ...P{i} }} mother {{ name(upper: $upper) }} }}\n");
            document.Append($"fragment P{i} on Person {{ ");
            document.AppendJoin(' ', Enumerable.Range(0, fieldsPerFragment).Select(f => $"p{f}: {personFields[f % personFields.Length]}"));
            document.Append(" friends { name } }\n");
        }

        return document.ToString();
    }

    private static int CountFields(string document)
    {
        var count = 0;
        AstWalker.Walk(Parser.Parse(document), new FieldCounter(() => count++));
        return count;
    }

    private sealed class FieldCounter(Action onField) : AstVisitor
    {
        protected override void Enter(FieldNode node) => onField();
    }
}
