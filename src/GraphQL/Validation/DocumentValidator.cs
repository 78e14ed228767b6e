using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation;

/// <summary>
/// Checks a document against a schema (spec 5): one walk over the document runs every rule's visitor side by side,
/// with the type information kept up to date before each node reaches them.
/// </summary>
public static class DocumentValidator
{
    /// <summary>graphql-js stops after this many errors; a hostile document cannot make the response grow without bound.</summary>
    public const int DefaultMaxErrors = 100;

    /// <param name="schema">The schema the document is for.</param>
    /// <param name="document">The parsed document.</param>
    /// <param name="rules">The rules to apply; <see cref="SpecifiedRules.All"/> when null.</param>
    /// <param name="maxErrors">Stop after this many errors.</param>
    /// <returns>Every problem found, in document order per rule; empty when the document is valid.</returns>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, DocumentNode document, IReadOnlyList<IValidationRule>? rules = null,
        int maxErrors = DefaultMaxErrors)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(document);
        var typeInfo = new TypeInfo(schema);
        var context = new ValidationContext(schema, document, typeInfo, maxErrors);
        var visitors = (rules ?? SpecifiedRules.All).Select(rule => rule.CreateVisitor(context)).ToArray();
        try
        {
            AstWalker.Walk(document, new ParallelVisitor(typeInfo, visitors));
        }
        catch (ValidationAbortedException)
        {
            // The context has recorded the "too many errors" error.
        }

        return context.Errors;
    }

    /// <summary>
    /// Runs several visitors in one walk (graphql-js visitInParallel with visitWithTypeInfo): type information enters
    /// a node before the visitors and leaves it after them; a visitor that skips a node's children is left out until
    /// the walk leaves that node, while the others go on.
    /// </summary>
    private sealed class ParallelVisitor(TypeInfo typeInfo, AstVisitor[] visitors) : AstVisitor
    {
        private readonly Node?[] _skipping = new Node?[visitors.Length];

        public override bool EnterNode(Node node)
        {
            typeInfo.Enter(node);
            for (var i = 0; i < visitors.Length; i++)
            {
                if (_skipping[i] is null && !visitors[i].EnterNode(node))
                {
                    _skipping[i] = node;
                }
            }

            return true;
        }

        public override void LeaveNode(Node node)
        {
            for (var i = 0; i < visitors.Length; i++)
            {
                if (_skipping[i] is null)
                {
                    visitors[i].LeaveNode(node);
                }
                else if (ReferenceEquals(_skipping[i], node))
                {
                    _skipping[i] = null;
                }
            }

            typeInfo.Leave(node);
        }
    }
}
