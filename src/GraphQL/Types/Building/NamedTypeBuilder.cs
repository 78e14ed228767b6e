namespace MusicSearch.GraphQL.Types;

/// <summary>
/// The common shape of the type builders: a schema is built in two phases, first every named type is created empty
/// (<see cref="Create"/>), then each is completed (<see cref="Complete"/>), when every type it refers to exists.
/// </summary>
public abstract class NamedTypeBuilder
{
    private protected NamedTypeBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    internal string Name { get; }

    private protected string? TypeDescription { get; set; }

    internal abstract NamedType Create();

    internal virtual void Complete(NamedType type, TypeLinker linker)
    {
    }
}
