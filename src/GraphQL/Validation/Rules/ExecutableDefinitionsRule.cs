using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Executable Definitions (spec 5.1.1): a request holds only operations and fragments, never type system definitions.</summary>
public sealed class ExecutableDefinitionsRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(DocumentNode node)
        {
            foreach (var definition in node.Definitions)
            {
                if (definition is ExecutableDefinitionNode)
                {
                    continue;
                }

                var name = definition is TypeDefinitionNode type ? $"\"{type.Name.Value}\""
                    : definition is DirectiveDefinitionNode directive ? $"\"{directive.Name.Value}\""
                    : "schema";
                context.ReportError($"The {name} definition is not executable.", definition);
            }

            SkipChildren();
        }
    }
}
