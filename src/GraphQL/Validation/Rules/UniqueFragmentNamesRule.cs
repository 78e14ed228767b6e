using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Fragment Name Uniqueness (spec 5.5.1.1): no two fragments share a name.</summary>
public sealed class UniqueFragmentNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

        protected override void Enter(OperationDefinitionNode node) => SkipChildren();

        protected override void Enter(FragmentDefinitionNode node)
        {
            var name = node.Name;
            if (!_known.TryAdd(name.Value, name))
            {
                context.ReportError($"There can be only one fragment named \"{name.Value}\".", _known[name.Value], name);
            }

            SkipChildren();
        }
    }
}
