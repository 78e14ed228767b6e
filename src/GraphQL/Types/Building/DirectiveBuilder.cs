using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Types;

/// <summary>Defines a custom directive: where it may appear and its arguments.</summary>
public sealed class DirectiveBuilder
{
    private readonly List<DirectiveLocation> _locations = [];
    private readonly List<InputValueBuilder> _arguments = [];
    private string? _description;
    private bool _isRepeatable;

    internal DirectiveBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    internal string Name { get; }

    public DirectiveBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    public DirectiveBuilder Locations(params DirectiveLocation[] locations)
    {
        _locations.AddRange(locations);
        return this;
    }

    public DirectiveBuilder Argument(string name, string type, Action<InputValueBuilder>? configure = null)
    {
        var argument = new InputValueBuilder(name, type);
        configure?.Invoke(argument);
        _arguments.Add(argument);
        return this;
    }

    public DirectiveBuilder Argument(string name, string type, object? defaultValue) =>
        Argument(name, type, argument => argument.Default(defaultValue));

    /// <summary>Allows the directive more than once at the same location.</summary>
    public DirectiveBuilder Repeatable()
    {
        _isRepeatable = true;
        return this;
    }

    internal DirectiveDefinition Build(TypeLinker linker)
    {
        var arguments = _arguments.Select(argument => argument.Build(linker, $"@{Name}({argument.Name}:)")).OfType<InputValueDefinition>();
        if (_locations.Count == 0)
        {
            linker.Error($"Directive @{Name} must include 1 or more locations.");
        }

        return new DirectiveDefinition(Name, [.. _locations], [.. arguments], _isRepeatable, _description);
    }
}
