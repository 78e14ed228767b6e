using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Argument Names (spec 5.4.1): every argument given to a field or directive is one it defines.</summary>
public sealed class KnownArgumentNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly Dictionary<string, KnownDirective> _directives = DirectiveCatalog.For(context);

        protected override void Enter(DirectiveNode node)
        {
            var name = node.Name.Value;
            if (_directives.TryGetValue(name, out var directive))
            {
                var known = directive.Arguments.Select(argument => argument.Name).ToList();
                foreach (var argument in node.Arguments)
                {
                    var argumentName = argument.Name.Value;
                    if (!known.Contains(argumentName, StringComparer.Ordinal))
                    {
                        context.ReportError(
                            $"Unknown argument \"{argumentName}\" on directive \"@{name}\".{Suggestions.DidYouMean(Suggestions.Closest(argumentName, known))}",
                            argument);
                    }
                }
            }

            // A directive's arguments are checked above; below, an argument belongs to a field.
            SkipChildren();
        }

        protected override void Enter(ArgumentNode node)
        {
            if (context.Argument is null && context.FieldDefinition is { } field && context.ParentType is { } parentType)
            {
                var name = node.Name.Value;
                var suggestions = Suggestions.Closest(name, field.Arguments.Select(argument => argument.Name));
                context.ReportError($"Unknown argument \"{name}\" on field \"{parentType.Name}.{field.Name}\".{Suggestions.DidYouMean(suggestions)}", node);
            }
        }
    }
}
