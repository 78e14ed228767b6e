using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// The second phase of building a schema: every named type exists (as an empty shell), and definitions now turn
/// their type references ("[Track!]!") and default values into real types and values. Problems are collected, not
/// thrown, so that one build reports all of them.
/// </summary>
internal sealed class TypeLinker(IReadOnlyDictionary<string, NamedType> types)
{
    private readonly List<Action> _inputFieldDefaults = [];
    private readonly List<Action> _argumentDefaults = [];

    public List<string> Errors { get; } = [];

    /// <summary>
    /// Defers setting a default value until every type is complete (see <see cref="Finish"/>): a default may be an
    /// input object, whose fields' own defaults fill in what it leaves out.
    /// </summary>
    public void SetDefaultLater(Action setDefault, bool isInputField) => (isInputField ? _inputFieldDefaults : _argumentDefaults).Add(setDefault);

    /// <summary>Sets input fields' defaults first, since arguments' defaults may need them.</summary>
    public void Finish()
    {
        foreach (var step in _inputFieldDefaults.Concat(_argumentDefaults))
        {
            step();
        }
    }

    public void Error(string message) => Errors.Add(message);

    /// <summary>Resolves a type reference; null (with an error recorded) if it does not parse or names an unknown type.</summary>
    public GraphQLType? Resolve(string reference, string owner)
    {
        TypeNode node;
        try
        {
            node = Parser.ParseType(reference);
        }
        catch (GraphQLSyntaxException exception)
        {
            Error($"The type \"{reference}\" of {owner} is not a type reference: {exception.Message}");
            return null;
        }

        return Resolve(node, owner);
    }

    public NamedType? ResolveNamed(string name, string owner)
    {
        if (types.TryGetValue(name, out var type))
        {
            return type;
        }

        Error($"Unknown type \"{name}\" referenced by {owner}.");
        return null;
    }

    /// <summary>The interfaces a type implements, by name; anything else named is an error.</summary>
    public List<InterfaceType> ResolveInterfaces(IEnumerable<string> names, string owner)
    {
        var interfaces = new List<InterfaceType>();
        foreach (var name in names)
        {
            switch (ResolveNamed(name, owner))
            {
                case InterfaceType implemented:
                    interfaces.Add(implemented);
                    break;
                case { } other:
                    Error($"Type {owner} must only implement Interface types, it cannot implement {other.Name}.");
                    break;
            }
        }

        return interfaces;
    }

    private GraphQLType? Resolve(TypeNode node, string owner) => node switch
    {
        NamedTypeNode named => ResolveNamed(named.Name.Value, owner),
        ListTypeNode list => Resolve(list.Type, owner) is { } item ? new ListType(item) : null,
        NonNullTypeNode nonNull => Resolve(nonNull.Type, owner) is { } inner ? new NonNullType(inner) : null,
        _ => null,
    };
}
