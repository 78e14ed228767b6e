using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Directives Are Defined and In Valid Locations (spec 5.7.1, 5.7.2).</summary>
public sealed class KnownDirectivesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly Dictionary<string, KnownDirective> _directives = DirectiveCatalog.For(context);

        /// <summary>The location of the node whose directives are being visited, innermost last.</summary>
        private readonly Stack<DirectiveLocation> _locations = [];

        protected override void Enter(DirectiveNode node)
        {
            var name = node.Name.Value;
            if (!_directives.TryGetValue(name, out var directive))
            {
                context.ReportError($"Unknown directive \"@{name}\".", node);
                return;
            }

            if (_locations.TryPeek(out var location) && !directive.Locations.Contains(location.ToString()))
            {
                context.ReportError($"Directive \"@{name}\" may not be used on {location}.", node);
            }
        }

        protected override void Enter(OperationDefinitionNode node) => _locations.Push(node.Operation switch
        {
            OperationType.Query => DirectiveLocation.QUERY,
            OperationType.Mutation => DirectiveLocation.MUTATION,
            _ => DirectiveLocation.SUBSCRIPTION,
        });

        protected override void Leave(OperationDefinitionNode node) => _locations.Pop();

        protected override void Enter(VariableDefinitionNode node) => _locations.Push(DirectiveLocation.VARIABLE_DEFINITION);

        protected override void Leave(VariableDefinitionNode node) => _locations.Pop();

        protected override void Enter(FieldNode node) => _locations.Push(DirectiveLocation.FIELD);

        protected override void Leave(FieldNode node) => _locations.Pop();

        protected override void Enter(FragmentSpreadNode node) => _locations.Push(DirectiveLocation.FRAGMENT_SPREAD);

        protected override void Leave(FragmentSpreadNode node) => _locations.Pop();

        protected override void Enter(InlineFragmentNode node) => _locations.Push(DirectiveLocation.INLINE_FRAGMENT);

        protected override void Leave(InlineFragmentNode node) => _locations.Pop();

        protected override void Enter(FragmentDefinitionNode node) => _locations.Push(DirectiveLocation.FRAGMENT_DEFINITION);

        protected override void Leave(FragmentDefinitionNode node) => _locations.Pop();
    }
}
