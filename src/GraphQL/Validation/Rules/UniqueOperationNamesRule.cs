using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Operation Name Uniqueness (spec 5.2.1.1): no two operations share a name.</summary>
public sealed class UniqueOperationNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

        protected override void Enter(OperationDefinitionNode node)
        {
            if (node.Name is { } name && !_known.TryAdd(name.Value, name))
            {
                context.ReportError($"There can be only one operation named \"{name.Value}\".", _known[name.Value], name);
            }

            SkipChildren();
        }

        protected override void Enter(FragmentDefinitionNode node) => SkipChildren();
    }
}
