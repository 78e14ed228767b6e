using MusicSearch.GraphQL.Execution;

namespace MusicSearch.GraphQL.Types;

/// <summary>A field of an object or interface type: its arguments, its type and the resolver that produces its value.</summary>
public sealed class FieldDefinition
{
    private readonly Dictionary<string, InputValueDefinition> _argumentsByName;

    internal FieldDefinition(string name, GraphQLType type, IReadOnlyList<InputValueDefinition> arguments, FieldResolver? resolver,
        string? description, string? deprecationReason)
    {
        Name = name;
        Type = type;
        Arguments = arguments;
        _argumentsByName = arguments.ToDictionary(argument => argument.Name, StringComparer.Ordinal);
        Resolver = resolver;
        Description = description;
        DeprecationReason = deprecationReason;
    }

    public string Name { get; }

    public GraphQLType Type { get; }

    public IReadOnlyList<InputValueDefinition> Arguments { get; }

    /// <summary>Produces the field's value from its parent; null for interface fields and fields read by the default resolver.</summary>
    public FieldResolver? Resolver { get; }

    public string? Description { get; }

    public string? DeprecationReason { get; }

    public bool IsDeprecated => DeprecationReason is not null;

    public InputValueDefinition? GetArgument(string name) => _argumentsByName.GetValueOrDefault(name);
}
