using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Required Arguments (spec 5.4.2.1): a field or directive is given every argument that is non-null and has no
/// default. Checked on leaving the node, so that errors inside its arguments come first, as in graphql-js.
/// </summary>
public sealed class ProvidedRequiredArgumentsRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly Dictionary<string, KnownDirective> _directives = DirectiveCatalog.For(context);

        protected override void Leave(FieldNode node)
        {
            if (context.FieldDefinition is not { } field)
            {
                return;
            }

            foreach (var argument in field.Arguments)
            {
                if (argument.IsRequired && !IsGiven(node.Arguments, argument.Name))
                {
                    context.ReportError(
                        $"Field \"{field.Name}\" argument \"{argument.Name}\" of type \"{argument.Type}\" is required, but it was not provided.", node);
                }
            }
        }

        protected override void Leave(DirectiveNode node)
        {
            if (!_directives.TryGetValue(node.Name.Value, out var directive))
            {
                return;
            }

            foreach (var argument in directive.Arguments)
            {
                if (argument.IsRequired && !IsGiven(node.Arguments, argument.Name))
                {
                    context.ReportError(
                        $"Directive \"@{directive.Name}\" argument \"{argument.Name}\" of type \"{argument.Type}\" is required, but it was not provided.",
                        node);
                }
            }
        }

        private static bool IsGiven(IReadOnlyList<ArgumentNode> arguments, string name)
        {
            foreach (var argument in arguments)
            {
                if (argument.Name.Value == name)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
