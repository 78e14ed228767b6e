using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Argument Uniqueness (spec 5.4.2): a field or directive is given each argument once.</summary>
public sealed class UniqueArgumentNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(FieldNode node) => Check(node.Arguments);

        protected override void Enter(DirectiveNode node) => Check(node.Arguments);

        private void Check(IReadOnlyList<ArgumentNode> arguments)
        {
            if (arguments.Count < 2)
            {
                return;
            }

            foreach (var group in arguments.GroupBy(argument => argument.Name.Value, StringComparer.Ordinal))
            {
                if (group.Skip(1).Any())
                {
                    context.ReportError($"There can be only one argument named \"{group.Key}\".", [.. group.Select(argument => argument.Name)]);
                }
            }
        }
    }
}
