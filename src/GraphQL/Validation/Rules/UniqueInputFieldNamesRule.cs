using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Input Object Field Uniqueness (spec 5.6.3): an input object literal gives each field once.</summary>
public sealed class UniqueInputFieldNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        /// <summary>The field names seen in each object literal being walked, innermost on top.</summary>
        private readonly Stack<Dictionary<string, NameNode>> _known = [];

        protected override void Enter(ObjectValueNode node) => _known.Push(new Dictionary<string, NameNode>(StringComparer.Ordinal));

        protected override void Leave(ObjectValueNode node) => _known.Pop();

        protected override void Enter(ObjectFieldNode node)
        {
            var name = node.Name;
            var known = _known.Peek();
            if (!known.TryAdd(name.Value, name))
            {
                context.ReportError($"There can be only one input field named \"{name.Value}\".", known[name.Value], name);
            }
        }
    }
}
