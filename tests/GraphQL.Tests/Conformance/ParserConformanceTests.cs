using System.Text.Json.Nodes;
using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Tests.Conformance;

/// <summary>
/// Parses and prints a corpus of documents with our parser and printer and with graphql-js: the printed text, or the
/// syntax error's message and location, must be identical; and whatever prints must read back to the same text.
/// </summary>
public class ParserConformanceTests(ParserConformanceTests.Answers answers) : IClassFixture<ParserConformanceTests.Answers>
{
    private const string Triple = "\"\"\"";

    public static readonly string[] Corpus =
    [
        "{ a }",
        "query { a }",
        "query Q { a }",
        "query ($a: Int) { a }",
        "query Q($a: Int = 1, $b: [String!]! = [\"x\"], $c: In = {a: {b: [1.5, -2e10]}}) @d { a(x: $a) }",
        "mutation M { like(id: 1) { id } } subscription S { events }",
        "{ alias: field(arg: \"value\", other: ENUM, n: null, t: true, f: false) @skip(if: $v) @include(if: true) { sub } }",
        "{ ...F ... on T { a } ... @d { b } ... { c } } fragment F on T @d { a }",
        "query Q($a: Int @dir(x: 1)) { a }",
        "{ aVeryLongFieldName(firstArgument: \"some long string value\", secondArgument: 12345, third: [1, 2, 3]) }",
        "{ short(a: 1, b: 2) { withLongArgs(argumentNumberOne: \"xxxxxxxxxxxxxxxxxxxx\", argumentNumberTwo: \"yyyyyyyyyyyy\") { c } } }",
        $"{{ a(b: {Triple}block{Triple}) }}",
        $"{{ a {{ b(c: {Triple}\n  multi\n    line\n  {Triple}) }} }}",
        $"{{ a(b: {Triple}  leading space{Triple}) }}",
        $"{{ a(b: {Triple}ends with quote\"{Triple}) }}",
        $"{{ a(b: {Triple}has \\{Triple} inside{Triple}) }}",
        $"{{ a(b: {Triple}{Triple}) }}",
        $"{{ a(b: {Triple}{new string('x', 75)}{Triple}) }}",
        "{ a(b: \"escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u0001 \\u007F \\u{1F3B5}\") }",
        "\"Operation description\" query Q { a }",
        $"{Triple}Block description{Triple} query Q($a: Int) {{ a }}",
        "query Q(\"variable description\" $a: Int, $b: Int) { a }",
        "\"fragment description\" fragment F on T { a }",
        "{ a(obj: {}, list: [], nested: {a: [{b: $v}]}) }",
        "# comment\n{ a # trailing\n b }",
        "{ a, b,,, c }",
        "query Q { a } query R { b }",
        "schema { query: Q mutation: M }",
        "\"Described\" type T implements A & B @d { \"field\" f(\"arg\" a: Int = 1, b: String): [T!]! @deprecated }",
        "interface I implements J { f: Int } union U = A | B enum E { \"desc\" A B @deprecated(reason: \"x\") }",
        "input In { a: Int = 1 @deprecated, b: [String!]! } scalar S @specifiedBy(url: \"u\")",
        "directive @d(a: Int, b: String = \"x\") repeatable on FIELD | QUERY",
        $"directive @d({Triple}described{Triple} a: Int) on FIELD",
        "extend schema @a { subscription: S } extend type T { a: Int } extend union U = C extend enum E { F } extend input I { x: Int } extend interface J @d extend scalar S @d",
        "{",
        "{ a",
        "",
        "   ",
        "query",
        "query Q(",
        "query Q($a) { a }",
        "query Q($a: ) { a }",
        "query Q($a: Int = $b) { a }",
        "query Q($a: [Int) { a }",
        "{ a(b: ) }",
        "{ a(b c) }",
        "{ a(: 1) }",
        "{ a: }",
        "{ ... }",
        "{ ...on }",
        "{ ... on { a } }",
        "fragment on on T { a }",
        "fragment F T { a }",
        "fragment F on T",
        "{ a }}",
        "{ a } garbage",
        "mutation",
        "subscription {",
        "notAKeyword { a }",
        "{ a(b: {c}) }",
        "{ a(b: {c: }) }",
        "{ a(b: [1, 2) }",
        "{ a(b: $) }",
        "{ a(b: ...) }",
        "{ @skip }",
        "query Q @ { a }",
        "\"desc\" { a }",
        "\"desc\" extend type T { a: Int }",
        "extend",
        "extend type T",
        "extend foo T",
        "enum E { null }",
        "directive @d on NOWHERE",
        "directive @d FIELD",
        "type T { f(a: Int = $x): Int }",
        "{ a(b: 0x1) }",
        "{ a(b: 1.) }",
        "{ a(b: \"unterminated) }",
        "{ a(b: 'single') }",
        "{ a } ?",
        "{ a(b: \"\\x\") }",
        "query Q($a: Int!!) { a }",
        "{ a { } }",
        "{ a(x: 1)(y: 2) }",
    ];

    public static TheoryData<int> Cases => [.. Enumerable.Range(0, Corpus.Length)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parsing_and_printing_agree_with_graphql_js(int index)
    {
        var source = Corpus[index];
        var expected = answers.For(index);

        if (expected["error"] is JsonObject error)
        {
            var ours = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(source));
            Assert.Equal((string)error["message"]!, ours.Message);
            var location = error["locations"]![0]!;
            Assert.Equal(new SourceLocation((int)location["line"]!, (int)location["column"]!), ours.Location);
            return;
        }

        var printed = Printer.Print(Parser.Parse(source));
        Assert.Equal((string)expected["printed"]!, printed);
        Assert.Equal(printed, Printer.Print(Parser.Parse(printed)));
    }

    /// <summary>graphql-js's answers for the whole corpus, asked once.</summary>
    public sealed class Answers : IAsyncLifetime
    {
        private IReadOnlyList<JsonObject> _answers = [];

        public JsonObject For(int index) => _answers[index];

        public async Task InitializeAsync() =>
            _answers = await GraphQLJs.AskAsync(Corpus.Select(source => GraphQLJs.Request("parse", ("source", source))));

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
