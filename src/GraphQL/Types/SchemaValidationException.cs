namespace MusicSearch.GraphQL.Types;

/// <summary>A schema that breaks the type system's rules (spec 3); every problem found is listed, one per line.</summary>
public sealed class SchemaValidationException : Exception
{
    public SchemaValidationException()
    {
        Errors = [];
    }

    public SchemaValidationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public SchemaValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public SchemaValidationException(IReadOnlyList<string> errors)
        : base("The schema is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors ?? []))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; }
}
