using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Validation;

/// <summary>
/// One validation rule of the spec (section 5). A rule is stateless; for each document it creates a visitor that
/// <see cref="DocumentValidator"/> walks over the document together with every other rule's, and that reports
/// problems through <see cref="ValidationContext.ReportError(string, MusicSearch.GraphQL.Language.Ast.Node[])"/>.
/// The context knows, at each node, the types around it (<see cref="ValidationContext.ParentType"/> and friends).
/// </summary>
public interface IValidationRule
{
    AstVisitor CreateVisitor(ValidationContext context);
}
