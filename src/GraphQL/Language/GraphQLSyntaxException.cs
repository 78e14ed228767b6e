namespace MusicSearch.GraphQL.Language;

/// <summary>
/// A document that is not valid GraphQL syntax. The message follows graphql-js ("Syntax Error: ...") so that
/// clients see the same text whichever server they talk to.
/// </summary>
public sealed class GraphQLSyntaxException : Exception
{
    public GraphQLSyntaxException(Source source, int position, string description)
        : base("Syntax Error: " + description)
    {
        ArgumentNullException.ThrowIfNull(source);
        GraphQLSource = source;
        Position = position;
        Description = description;
        Location = source.GetLocation(position);
    }

    /// <summary>The document that failed to lex or parse (named so as not to hide <see cref="Exception.Source"/>).</summary>
    public Source GraphQLSource { get; }

    /// <summary>UTF-16 offset of the offending character in <see cref="Source.Body"/>.</summary>
    public int Position { get; }

    public SourceLocation Location { get; }

    /// <summary>The message without its "Syntax Error: " prefix.</summary>
    public string Description { get; }
}
