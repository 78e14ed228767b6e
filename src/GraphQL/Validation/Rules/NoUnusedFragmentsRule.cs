using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Fragments Must Be Used (spec 5.5.1.4): every fragment is spread by some operation, directly or through other fragments.</summary>
public sealed class NoUnusedFragmentsRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly List<OperationDefinitionNode> _operations = [];
        private readonly List<FragmentDefinitionNode> _fragments = [];

        protected override void Enter(OperationDefinitionNode node)
        {
            _operations.Add(node);
            SkipChildren();
        }

        protected override void Enter(FragmentDefinitionNode node)
        {
            _fragments.Add(node);
            SkipChildren();
        }

        protected override void Leave(DocumentNode node)
        {
            var used = context.GetRecursivelyReferencedFragments(_operations)
                .Select(fragment => fragment.Name.Value)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var fragment in _fragments)
            {
                if (!used.Contains(fragment.Name.Value))
                {
                    context.ReportError($"Fragment \"{fragment.Name.Value}\" is never used.", fragment);
                }
            }
        }
    }
}
