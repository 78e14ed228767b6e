namespace MusicSearch.GraphQL.Types;

/// <summary>
/// A type of the schema: a named type, or a list or non-null wrapper around another type. <see cref="ToString"/>
/// spells it as SDL does (<c>[Track!]!</c>).
/// </summary>
public abstract class GraphQLType
{
    public abstract TypeKind Kind { get; }

    /// <summary>The named type inside any list and non-null wrappers.</summary>
    public abstract NamedType Named { get; }

    /// <summary>This type without its outer non-null wrapper, if any.</summary>
    public GraphQLType Nullable => this is NonNullType nonNull ? nonNull.OfType : this;

    public bool IsNonNull => Kind == TypeKind.NON_NULL;

    /// <summary>Scalars, enums and input objects, possibly wrapped: the types of arguments and variables.</summary>
    public bool IsInputType => Named.Kind is TypeKind.SCALAR or TypeKind.ENUM or TypeKind.INPUT_OBJECT;

    /// <summary>Anything but input objects, possibly wrapped: the types of fields.</summary>
    public bool IsOutputType => Named.Kind is not TypeKind.INPUT_OBJECT;

    /// <summary>An unwrapped scalar or enum.</summary>
    public bool IsLeafType => Kind is TypeKind.SCALAR or TypeKind.ENUM;

    /// <summary>An unwrapped object, interface or union: a type with a selection set.</summary>
    public bool IsCompositeType => Kind is TypeKind.OBJECT or TypeKind.INTERFACE or TypeKind.UNION;

    /// <summary>An unwrapped interface or union, whose runtime type is one of several objects.</summary>
    public bool IsAbstractType => Kind is TypeKind.INTERFACE or TypeKind.UNION;

    public abstract override string ToString();
}

/// <summary>A list of values of <see cref="OfType"/>. Equal to any other list of an equal type.</summary>
public sealed class ListType(GraphQLType ofType) : GraphQLType
{
    public GraphQLType OfType { get; } = ofType ?? throw new ArgumentNullException(nameof(ofType));

    public override TypeKind Kind => TypeKind.LIST;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"[{OfType}]";

    public override bool Equals(object? obj) => obj is ListType other && OfType.Equals(other.OfType);

    public override int GetHashCode() => HashCode.Combine(TypeKind.LIST, OfType);
}

/// <summary>A value of <see cref="OfType"/> that is never null. Equal to any other non-null of an equal type.</summary>
public sealed class NonNullType : GraphQLType
{
    public NonNullType(GraphQLType ofType)
    {
        ArgumentNullException.ThrowIfNull(ofType);
        if (ofType is NonNullType)
        {
            throw new ArgumentException($"Cannot wrap the non-null type {ofType} in another non-null.", nameof(ofType));
        }

        OfType = ofType;
    }

    public GraphQLType OfType { get; }

    public override TypeKind Kind => TypeKind.NON_NULL;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"{OfType}!";

    public override bool Equals(object? obj) => obj is NonNullType other && OfType.Equals(other.OfType);

    public override int GetHashCode() => HashCode.Combine(TypeKind.NON_NULL, OfType);
}

/// <summary>A type with a name and a definition in the schema; identity is by reference.</summary>
public abstract class NamedType : GraphQLType
{
    protected NamedType(string name, string? description)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Description = description;
    }

    public string Name { get; }

    public string? Description { get; }

    public override NamedType Named => this;

    public override string ToString() => Name;
}
