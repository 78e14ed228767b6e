using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Lone Anonymous Operation (spec 5.2.2.1): an operation without a name must be the document's only operation.</summary>
public sealed class LoneAnonymousOperationRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private int _operationCount;

        protected override void Enter(DocumentNode node) => _operationCount = node.Definitions.Count(definition => definition is OperationDefinitionNode);

        protected override void Enter(OperationDefinitionNode node)
        {
            if (node.Name is null && _operationCount > 1)
            {
                context.ReportError("This anonymous operation must be the only defined operation.", node);
            }
        }
    }
}
