using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>Describes an argument or an input field: description, default value, deprecation.</summary>
public sealed class InputValueBuilder
{
    private readonly string _name;
    private readonly string _type;
    private string? _description;
    private string? _deprecationReason;
    private bool _hasDefault;
    private object? _default;
    private string? _defaultLiteral;

    internal InputValueBuilder(string name, string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(type);
        _name = name;
        _type = type;
    }

    public InputValueBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    /// <summary>The value used when the client gives none: an internal value (a C# enum member, a dictionary for an input object).</summary>
    public InputValueBuilder Default(object? value)
    {
        _hasDefault = true;
        _default = value;
        _defaultLiteral = null;
        return this;
    }

    /// <summary>The default written as a GraphQL literal, e.g. <c>{limit: 10, sort: NEWEST}</c>.</summary>
    public InputValueBuilder DefaultLiteral(string literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        _hasDefault = true;
        _defaultLiteral = literal;
        return this;
    }

    public InputValueBuilder Deprecated(string reason = SpecifiedDirectives.DefaultDeprecationReason)
    {
        _deprecationReason = reason;
        return this;
    }

    internal string Name => _name;

    /// <param name="linker">Resolves the type reference.</param>
    /// <param name="coordinate">How errors name this input: <c>Type.field(arg:)</c>, <c>Input.field</c>, <c>@directive(arg:)</c>.</param>
    /// <param name="isInputField">An input object's field rather than an argument.</param>
    internal InputValueDefinition? Build(TypeLinker linker, string coordinate, bool isInputField = false)
    {
        var type = linker.Resolve(_type, coordinate);
        if (type is null)
        {
            return null;
        }

        var definition = new InputValueDefinition(_name, type, _description, defaultLiteral: null, defaultValue: null, _deprecationReason);
        if (_hasDefault)
        {
            linker.SetDefaultLater(() => SetDefault(definition, linker, coordinate), isInputField);
        }

        return definition;
    }

    /// <summary>Turns the default into both forms, literal and internal value, checking that it fits the type.</summary>
    private void SetDefault(InputValueDefinition definition, TypeLinker linker, string coordinate)
    {
        if (!definition.Type.IsInputType)
        {
            return;
        }

        ValueNode? literal;
        try
        {
            literal = _defaultLiteral is null ? LiteralValues.FromValue(_default, definition.Type) : Parser.ParseConstValue(_defaultLiteral);
        }
        catch (Exception exception) when (exception is GraphQLException or GraphQLSyntaxException or ArgumentException)
        {
            linker.Error($"The default value of {coordinate} is not a valid {definition.Type}: {exception.Message}");
            return;
        }

        if (literal is null || !LiteralValues.TryCoerce(literal, definition.Type, null, out var value))
        {
            var shown = literal is null ? Utilities.Inspect.Value(_default) : Printer.Print(literal);
            linker.Error($"The default value {shown} of {coordinate} is not a valid {definition.Type}.");
            return;
        }

        // Printed from the coerced value, as graphql-js does: input fields left out show their own defaults.
        definition.SetDefault(LiteralValues.FromValue(value, definition.Type) ?? literal, value);
    }
}
