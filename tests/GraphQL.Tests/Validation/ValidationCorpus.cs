using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Validation;
using MusicSearch.Testing;

namespace MusicSearch.GraphQL.Tests.Validation;

/// <summary>
/// The documents of <c>Validation/Corpus</c>: one folder per validation rule (named as graphql-js names the rule,
/// without "Rule") plus <c>Mixed</c>, each file a document that is valid (<c>valid-*.graphql</c>) or breaks that
/// folder's rule (<c>invalid-*.graphql</c>) against <see cref="ValidationSchema"/>.
/// </summary>
internal static class ValidationCorpus
{
    public const string MixedFolder = "Mixed";

    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "tests", "GraphQL.Tests", "Validation", "Corpus");

    /// <summary>Paths relative to the corpus, with '/' separators, in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. System.IO.Directory.EnumerateFiles(Directory, "*.graphql", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Directory, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static string Folder(string name) => name[..name.IndexOf('/', StringComparison.Ordinal)];

    public static bool IsExpectedValid(string name) => Path.GetFileName(name).StartsWith("valid-", StringComparison.Ordinal);

    /// <summary>Our errors for a document, each as "message (line:column, ...)".</summary>
    public static IReadOnlyList<string> Validate(string source, IReadOnlyList<IValidationRule>? rules = null) =>
        [.. DocumentValidator.Validate(ValidationSchema.Instance, Parser.Parse(source), rules).Select(error => error.ToString())];

    /// <summary>The rule a folder is about: graphql-js's name for it is the class name less "Rule".</summary>
    public static IValidationRule? RuleOf(string folder) =>
        SpecifiedRules.All.SingleOrDefault(rule => rule.GetType().Name == folder + "Rule");
}
