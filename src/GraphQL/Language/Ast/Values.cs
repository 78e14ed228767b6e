namespace MusicSearch.GraphQL.Language.Ast;

/// <summary>A literal or a variable in argument, default-value or object-field position.</summary>
public abstract record ValueNode : Node;

public sealed record VariableNode(NameNode Name) : ValueNode
{
    public override NodeKind Kind => NodeKind.Variable;
}

/// <summary>An integer literal, kept as text: its range depends on the type it is coerced to.</summary>
public sealed record IntValueNode(string Value) : ValueNode
{
    public override NodeKind Kind => NodeKind.IntValue;
}

/// <summary>A float literal, kept as text.</summary>
public sealed record FloatValueNode(string Value) : ValueNode
{
    public override NodeKind Kind => NodeKind.FloatValue;
}

/// <summary>A string or, when <paramref name="Block"/>, a block string; the value is decoded.</summary>
public sealed record StringValueNode(string Value, bool Block = false) : ValueNode
{
    public override NodeKind Kind => NodeKind.StringValue;
}

public sealed record BooleanValueNode(bool Value) : ValueNode
{
    public override NodeKind Kind => NodeKind.BooleanValue;
}

public sealed record NullValueNode : ValueNode
{
    public override NodeKind Kind => NodeKind.NullValue;
}

public sealed record EnumValueNode(string Value) : ValueNode
{
    public override NodeKind Kind => NodeKind.EnumValue;
}

public sealed record ListValueNode(IReadOnlyList<ValueNode> Values) : ValueNode
{
    public override NodeKind Kind => NodeKind.ListValue;
}

public sealed record ObjectValueNode(IReadOnlyList<ObjectFieldNode> Fields) : ValueNode
{
    public override NodeKind Kind => NodeKind.ObjectValue;
}

public sealed record ObjectFieldNode(NameNode Name, ValueNode Value) : Node
{
    public override NodeKind Kind => NodeKind.ObjectField;
}
