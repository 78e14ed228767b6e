using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Directives Are Unique Per Location (spec 5.7.3): a non-repeatable directive appears at most once on a node.</summary>
public sealed class UniqueDirectivesPerLocationRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly HashSet<string> _unique = DirectiveCatalog.For(context).Values
            .Where(directive => !directive.IsRepeatable)
            .Select(directive => directive.Name)
            .ToHashSet(StringComparer.Ordinal);

        private readonly Dictionary<string, DirectiveNode> _seen = new(StringComparer.Ordinal);

        protected override void Enter(OperationDefinitionNode node) => Check(node.Directives);

        protected override void Enter(VariableDefinitionNode node) => Check(node.Directives);

        protected override void Enter(FieldNode node) => Check(node.Directives);

        protected override void Enter(FragmentSpreadNode node) => Check(node.Directives);

        protected override void Enter(InlineFragmentNode node) => Check(node.Directives);

        protected override void Enter(FragmentDefinitionNode node) => Check(node.Directives);

        private void Check(IReadOnlyList<DirectiveNode> directives)
        {
            _seen.Clear();
            foreach (var directive in directives)
            {
                var name = directive.Name.Value;
                if (_unique.Contains(name) && !_seen.TryAdd(name, directive))
                {
                    context.ReportError($"The directive \"@{name}\" can only be used once at this location.", _seen[name], directive);
                }
            }
        }
    }
}
