using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Types;

/// <summary>A directive the schema knows (spec 3.13): where it may appear and which arguments it takes.</summary>
public sealed class DirectiveDefinition
{
    private readonly Dictionary<string, InputValueDefinition> _argumentsByName;

    internal DirectiveDefinition(string name, IReadOnlyList<DirectiveLocation> locations, IReadOnlyList<InputValueDefinition> arguments,
        bool isRepeatable, string? description)
    {
        Name = name;
        Locations = locations;
        Arguments = arguments;
        _argumentsByName = arguments.ToDictionary(argument => argument.Name, StringComparer.Ordinal);
        IsRepeatable = isRepeatable;
        Description = description;
    }

    public string Name { get; }

    public IReadOnlyList<DirectiveLocation> Locations { get; }

    public IReadOnlyList<InputValueDefinition> Arguments { get; }

    public bool IsRepeatable { get; }

    public string? Description { get; }

    /// <summary>@skip, @include, @deprecated, @specifiedBy and @oneOf: part of every schema, never printed in SDL.</summary>
    public bool IsSpecified => SpecifiedDirectives.All.Contains(this);

    public InputValueDefinition? GetArgument(string name) => _argumentsByName.GetValueOrDefault(name);
}
