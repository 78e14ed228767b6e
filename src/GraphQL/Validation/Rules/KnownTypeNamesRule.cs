using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Every type a document names (variable types, type conditions) exists in the schema (spec 5.5.1.2, 5.8.2), or
/// is defined by the document itself, as graphql-js allows.
/// </summary>
public sealed class KnownTypeNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly HashSet<string> _definedInDocument = context.Document.Definitions
            .OfType<TypeDefinitionNode>()
            .Select(definition => definition.Name.Value)
            .ToHashSet(StringComparer.Ordinal);

        protected override void Enter(NamedTypeNode node)
        {
            var name = node.Name.Value;
            if (context.Schema.GetType(name) is not null || _definedInDocument.Contains(name))
            {
                return;
            }

            var known = context.Schema.Types.Select(type => type.Name).Concat(_definedInDocument);
            context.ReportError($"Unknown type \"{name}\".{Suggestions.DidYouMean(Suggestions.Closest(name, known))}", node);
        }
    }
}
