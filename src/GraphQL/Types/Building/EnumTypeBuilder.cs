using System.Text;

namespace MusicSearch.GraphQL.Types;

/// <summary>Defines an enum value by value: name, internal value, description, deprecation.</summary>
public sealed class EnumTypeBuilder : NamedTypeBuilder
{
    private readonly List<EnumValueDefinition> _values = [];

    internal EnumTypeBuilder(string name)
        : base(name)
    {
    }

    public EnumTypeBuilder Description(string description)
    {
        TypeDescription = description;
        return this;
    }

    /// <param name="name">The value's name in GraphQL.</param>
    /// <param name="value">What resolvers receive and return for it; the name itself when null.</param>
    /// <param name="description">Shown in introspection and SDL.</param>
    /// <param name="deprecationReason">Marks the value deprecated.</param>
    public EnumTypeBuilder Value(string name, object? value = null, string? description = null, string? deprecationReason = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _values.RemoveAll(existing => existing.Name == name);
        _values.Add(new EnumValueDefinition(name, value ?? name, description, deprecationReason));
        return this;
    }

    /// <summary>
    /// Adds every member of <typeparamref name="TEnum"/>, named in GraphQL's CONSTANT_CASE (<c>NotFound</c> →
    /// <c>NOT_FOUND</c>), with the member itself as internal value. Describe or deprecate members with
    /// <see cref="Member{TEnum}"/>.
    /// </summary>
    public EnumTypeBuilder Members<TEnum>()
        where TEnum : struct, Enum
    {
        foreach (var member in Enum.GetValues<TEnum>())
        {
            Value(ConstantCase(member.ToString()), member);
        }

        return this;
    }

    /// <summary>Describes or deprecates the value that stands for <paramref name="member"/>.</summary>
    public EnumTypeBuilder Member<TEnum>(TEnum member, string? description = null, string? deprecationReason = null)
        where TEnum : struct, Enum =>
        Value(ConstantCase(member.ToString()), member, description, deprecationReason);

    internal override NamedType Create() => new EnumType(Name, [.. _values], TypeDescription);

    private static string ConstantCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var startsWord = i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (startsWord && name[i - 1] != '_')
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }
}
