using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>An argument of a known directive, as the directive rules need it.</summary>
/// <param name="Name">The argument's name.</param>
/// <param name="Type">Its type, spelled as SDL does.</param>
/// <param name="IsRequired">Non-null without a default.</param>
internal sealed record DirectiveArgument(string Name, string Type, bool IsRequired);

/// <summary>A directive the document may use: one of the schema's, or one the document itself defines.</summary>
internal sealed record KnownDirective(string Name, IReadOnlySet<string> Locations, bool IsRepeatable, IReadOnlyList<DirectiveArgument> Arguments);

/// <summary>
/// The directives known to a document's rules: the schema's, overridden by directive definitions in the document
/// (which graphql-js honours even though such a document is not executable).
/// </summary>
internal static class DirectiveCatalog
{
    public static Dictionary<string, KnownDirective> For(ValidationContext context)
    {
        var directives = new Dictionary<string, KnownDirective>(StringComparer.Ordinal);
        foreach (var directive in context.Schema.Directives)
        {
            directives[directive.Name] = new KnownDirective(
                directive.Name,
                directive.Locations.Select(location => location.ToString()).ToHashSet(StringComparer.Ordinal),
                directive.IsRepeatable,
                [.. directive.Arguments.Select(argument => new DirectiveArgument(argument.Name, argument.Type.ToString(), argument.IsRequired))]);
        }

        foreach (var definition in context.Document.Definitions.OfType<DirectiveDefinitionNode>())
        {
            directives[definition.Name.Value] = new KnownDirective(
                definition.Name.Value,
                definition.Locations.Select(location => location.Value).ToHashSet(StringComparer.Ordinal),
                definition.Repeatable,
                [
                    .. definition.Arguments.Select(argument => new DirectiveArgument(
                        argument.Name.Value,
                        Printer.Print(argument.Type),
                        argument.Type is NonNullTypeNode && argument.DefaultValue is null)),
                ]);
        }

        return directives;
    }
}
