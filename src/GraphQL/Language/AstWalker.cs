using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

/// <summary>
/// Walks a document depth-first in source order, calling an <see cref="AstVisitor"/> on the way in and out of each
/// node — the order graphql-js's <c>visit</c> uses, minus names and descriptions, which are not visited.
/// </summary>
public static class AstWalker
{
    public static void Walk(Node node, AstVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(visitor);
        if (!visitor.EnterNode(node))
        {
            return;
        }

        WalkChildren(node, visitor);
        visitor.LeaveNode(node);
    }

    private static void WalkChildren(Node node, AstVisitor visitor)
    {
        switch (node)
        {
            case DocumentNode document:
                WalkAll(document.Definitions, visitor);
                break;
            case OperationDefinitionNode operation:
                WalkAll(operation.VariableDefinitions, visitor);
                WalkAll(operation.Directives, visitor);
                Walk(operation.SelectionSet, visitor);
                break;
            case VariableDefinitionNode variable:
                Walk(variable.Variable, visitor);
                Walk(variable.Type, visitor);
                WalkOptional(variable.DefaultValue, visitor);
                WalkAll(variable.Directives, visitor);
                break;
            case SelectionSetNode selectionSet:
                WalkAll(selectionSet.Selections, visitor);
                break;
            case FieldNode field:
                WalkAll(field.Arguments, visitor);
                WalkAll(field.Directives, visitor);
                WalkOptional(field.SelectionSet, visitor);
                break;
            case ArgumentNode argument:
                Walk(argument.Value, visitor);
                break;
            case FragmentSpreadNode spread:
                WalkAll(spread.Directives, visitor);
                break;
            case InlineFragmentNode inline:
                WalkOptional(inline.TypeCondition, visitor);
                WalkAll(inline.Directives, visitor);
                Walk(inline.SelectionSet, visitor);
                break;
            case FragmentDefinitionNode fragment:
                Walk(fragment.TypeCondition, visitor);
                WalkAll(fragment.Directives, visitor);
                Walk(fragment.SelectionSet, visitor);
                break;
            case ListValueNode list:
                WalkAll(list.Values, visitor);
                break;
            case ObjectValueNode objectValue:
                WalkAll(objectValue.Fields, visitor);
                break;
            case ObjectFieldNode objectField:
                Walk(objectField.Value, visitor);
                break;
            case DirectiveNode directive:
                WalkAll(directive.Arguments, visitor);
                break;
            case ListTypeNode listType:
                Walk(listType.Type, visitor);
                break;
            case NonNullTypeNode nonNull:
                Walk(nonNull.Type, visitor);
                break;
        }
    }

    private static void WalkOptional(Node? node, AstVisitor visitor)
    {
        if (node is not null)
        {
            Walk(node, visitor);
        }
    }

    private static void WalkAll<T>(IReadOnlyList<T> nodes, AstVisitor visitor)
        where T : Node
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            Walk(nodes[i], visitor);
        }
    }
}
