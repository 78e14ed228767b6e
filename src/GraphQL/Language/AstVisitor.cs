using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

/// <summary>
/// Receives the nodes of a document as <see cref="AstWalker"/> walks it depth-first: <c>Enter</c> before a node's
/// children, <c>Leave</c> after them. Override the overloads for the node kinds of interest; the rest do nothing.
/// Type system definitions arrive as one <see cref="TypeSystemDefinitionNode"/>, without their children.
/// </summary>
public abstract class AstVisitor
{
    private bool _skipChildren;

    /// <summary>Dispatches <paramref name="node"/> to its typed <c>Enter</c>; false when that asked to skip its children.</summary>
    public virtual bool EnterNode(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _skipChildren = false;
        switch (node.Kind)
        {
            case NodeKind.Document:
                Enter((DocumentNode)node);
                break;
            case NodeKind.OperationDefinition:
                Enter((OperationDefinitionNode)node);
                break;
            case NodeKind.VariableDefinition:
                Enter((VariableDefinitionNode)node);
                break;
            case NodeKind.Variable:
                Enter((VariableNode)node);
                break;
            case NodeKind.SelectionSet:
                Enter((SelectionSetNode)node);
                break;
            case NodeKind.Field:
                Enter((FieldNode)node);
                break;
            case NodeKind.Argument:
                Enter((ArgumentNode)node);
                break;
            case NodeKind.FragmentSpread:
                Enter((FragmentSpreadNode)node);
                break;
            case NodeKind.InlineFragment:
                Enter((InlineFragmentNode)node);
                break;
            case NodeKind.FragmentDefinition:
                Enter((FragmentDefinitionNode)node);
                break;
            case NodeKind.IntValue:
                Enter((IntValueNode)node);
                break;
            case NodeKind.FloatValue:
                Enter((FloatValueNode)node);
                break;
            case NodeKind.StringValue:
                Enter((StringValueNode)node);
                break;
            case NodeKind.BooleanValue:
                Enter((BooleanValueNode)node);
                break;
            case NodeKind.NullValue:
                Enter((NullValueNode)node);
                break;
            case NodeKind.EnumValue:
                Enter((EnumValueNode)node);
                break;
            case NodeKind.ListValue:
                Enter((ListValueNode)node);
                break;
            case NodeKind.ObjectValue:
                Enter((ObjectValueNode)node);
                break;
            case NodeKind.ObjectField:
                Enter((ObjectFieldNode)node);
                break;
            case NodeKind.Directive:
                Enter((DirectiveNode)node);
                break;
            case NodeKind.NamedType:
                Enter((NamedTypeNode)node);
                break;
            case NodeKind.ListType:
                Enter((ListTypeNode)node);
                break;
            case NodeKind.NonNullType:
                Enter((NonNullTypeNode)node);
                break;
            case > NodeKind.NonNullType when node is TypeSystemDefinitionNode definition:
                Enter(definition);
                break;
        }

        return !_skipChildren;
    }

    /// <summary>Dispatches <paramref name="node"/> to its typed <c>Leave</c>; not called for a node whose children were skipped.</summary>
    public virtual void LeaveNode(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node.Kind)
        {
            case NodeKind.Document:
                Leave((DocumentNode)node);
                break;
            case NodeKind.OperationDefinition:
                Leave((OperationDefinitionNode)node);
                break;
            case NodeKind.VariableDefinition:
                Leave((VariableDefinitionNode)node);
                break;
            case NodeKind.Variable:
                Leave((VariableNode)node);
                break;
            case NodeKind.SelectionSet:
                Leave((SelectionSetNode)node);
                break;
            case NodeKind.Field:
                Leave((FieldNode)node);
                break;
            case NodeKind.Argument:
                Leave((ArgumentNode)node);
                break;
            case NodeKind.FragmentSpread:
                Leave((FragmentSpreadNode)node);
                break;
            case NodeKind.InlineFragment:
                Leave((InlineFragmentNode)node);
                break;
            case NodeKind.FragmentDefinition:
                Leave((FragmentDefinitionNode)node);
                break;
            case NodeKind.IntValue:
                Leave((IntValueNode)node);
                break;
            case NodeKind.FloatValue:
                Leave((FloatValueNode)node);
                break;
            case NodeKind.StringValue:
                Leave((StringValueNode)node);
                break;
            case NodeKind.BooleanValue:
                Leave((BooleanValueNode)node);
                break;
            case NodeKind.NullValue:
                Leave((NullValueNode)node);
                break;
            case NodeKind.EnumValue:
                Leave((EnumValueNode)node);
                break;
            case NodeKind.ListValue:
                Leave((ListValueNode)node);
                break;
            case NodeKind.ObjectValue:
                Leave((ObjectValueNode)node);
                break;
            case NodeKind.ObjectField:
                Leave((ObjectFieldNode)node);
                break;
            case NodeKind.Directive:
                Leave((DirectiveNode)node);
                break;
            case NodeKind.NamedType:
                Leave((NamedTypeNode)node);
                break;
            case NodeKind.ListType:
                Leave((ListTypeNode)node);
                break;
            case NodeKind.NonNullType:
                Leave((NonNullTypeNode)node);
                break;
            case > NodeKind.NonNullType when node is TypeSystemDefinitionNode definition:
                Leave(definition);
                break;
        }
    }

    /// <summary>Called from an <c>Enter</c> overload: do not walk into the node being entered, nor leave it.</summary>
    protected void SkipChildren() => _skipChildren = true;


    protected virtual void Enter(DocumentNode node)
    {
    }

    protected virtual void Leave(DocumentNode node)
    {
    }

    protected virtual void Enter(OperationDefinitionNode node)
    {
    }

    protected virtual void Leave(OperationDefinitionNode node)
    {
    }

    protected virtual void Enter(VariableDefinitionNode node)
    {
    }

    protected virtual void Leave(VariableDefinitionNode node)
    {
    }

    protected virtual void Enter(VariableNode node)
    {
    }

    protected virtual void Leave(VariableNode node)
    {
    }

    protected virtual void Enter(SelectionSetNode node)
    {
    }

    protected virtual void Leave(SelectionSetNode node)
    {
    }

    protected virtual void Enter(FieldNode node)
    {
    }

    protected virtual void Leave(FieldNode node)
    {
    }

    protected virtual void Enter(ArgumentNode node)
    {
    }

    protected virtual void Leave(ArgumentNode node)
    {
    }

    protected virtual void Enter(FragmentSpreadNode node)
    {
    }

    protected virtual void Leave(FragmentSpreadNode node)
    {
    }

    protected virtual void Enter(InlineFragmentNode node)
    {
    }

    protected virtual void Leave(InlineFragmentNode node)
    {
    }

    protected virtual void Enter(FragmentDefinitionNode node)
    {
    }

    protected virtual void Leave(FragmentDefinitionNode node)
    {
    }

    protected virtual void Enter(IntValueNode node)
    {
    }

    protected virtual void Leave(IntValueNode node)
    {
    }

    protected virtual void Enter(FloatValueNode node)
    {
    }

    protected virtual void Leave(FloatValueNode node)
    {
    }

    protected virtual void Enter(StringValueNode node)
    {
    }

    protected virtual void Leave(StringValueNode node)
    {
    }

    protected virtual void Enter(BooleanValueNode node)
    {
    }

    protected virtual void Leave(BooleanValueNode node)
    {
    }

    protected virtual void Enter(NullValueNode node)
    {
    }

    protected virtual void Leave(NullValueNode node)
    {
    }

    protected virtual void Enter(EnumValueNode node)
    {
    }

    protected virtual void Leave(EnumValueNode node)
    {
    }

    protected virtual void Enter(ListValueNode node)
    {
    }

    protected virtual void Leave(ListValueNode node)
    {
    }

    protected virtual void Enter(ObjectValueNode node)
    {
    }

    protected virtual void Leave(ObjectValueNode node)
    {
    }

    protected virtual void Enter(ObjectFieldNode node)
    {
    }

    protected virtual void Leave(ObjectFieldNode node)
    {
    }

    protected virtual void Enter(DirectiveNode node)
    {
    }

    protected virtual void Leave(DirectiveNode node)
    {
    }

    protected virtual void Enter(NamedTypeNode node)
    {
    }

    protected virtual void Leave(NamedTypeNode node)
    {
    }

    protected virtual void Enter(ListTypeNode node)
    {
    }

    protected virtual void Leave(ListTypeNode node)
    {
    }

    protected virtual void Enter(NonNullTypeNode node)
    {
    }

    protected virtual void Leave(NonNullTypeNode node)
    {
    }

    protected virtual void Enter(TypeSystemDefinitionNode node)
    {
    }

    protected virtual void Leave(TypeSystemDefinitionNode node)
    {
    }
}
