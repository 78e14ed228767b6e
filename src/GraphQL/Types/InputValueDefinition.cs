using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>An argument of a field or directive, or a field of an input object: a named, typed input with an optional default.</summary>
public sealed class InputValueDefinition
{
    internal InputValueDefinition(string name, GraphQLType type, string? description, ValueNode? defaultLiteral, object? defaultValue,
        string? deprecationReason)
    {
        Name = name;
        Type = type;
        Description = description;
        DefaultLiteral = defaultLiteral;
        DefaultValue = defaultValue;
        DeprecationReason = deprecationReason;
    }

    public string Name { get; }

    public GraphQLType Type { get; }

    public string? Description { get; }

    public bool HasDefaultValue => DefaultLiteral is not null;

    /// <summary>The default as a GraphQL literal: what SDL and introspection show.</summary>
    public ValueNode? DefaultLiteral { get; private set; }

    /// <summary>The default coerced to its internal value (what a resolver receives when the input is omitted).</summary>
    public object? DefaultValue { get; private set; }

    public string? DeprecationReason { get; }

    public bool IsDeprecated => DeprecationReason is not null;

    /// <summary>A non-null input without a default: the client must provide it.</summary>
    public bool IsRequired => Type.IsNonNull && !HasDefaultValue;

    /// <summary>Set by the schema builder once every type is complete: a default may be an input object of a type defined later.</summary>
    internal void SetDefault(ValueNode literal, object? value)
    {
        DefaultLiteral = literal;
        DefaultValue = value;
    }
}
