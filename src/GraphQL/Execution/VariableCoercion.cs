using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;
using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Execution;

/// <summary>Spec 6.1.2 CoerceVariableValues, with graphql-js's messages, each located at its variable definition.</summary>
internal static class VariableCoercion
{
    /// <summary>graphql-js stops after this many problems; they are all the client's to fix anyway.</summary>
    private const int MaxErrors = 50;

    /// <param name="schema">The schema the variable types are looked up in.</param>
    /// <param name="definitions">The operation's variable definitions.</param>
    /// <param name="inputs">The request's variables as plain values (see <see cref="JsonValues"/>).</param>
    /// <param name="errors">Receives every problem, with code BAD_USER_INPUT.</param>
    public static Dictionary<string, object?> Coerce(Schema schema, IReadOnlyList<VariableDefinitionNode> definitions,
        IReadOnlyDictionary<string, object?> inputs, List<GraphQLError> errors)
    {
        var coerced = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (errors.Count >= MaxErrors)
            {
                errors.Add(new GraphQLError("Too many errors processing variables, error limit reached. Execution aborted.",
                    extensions: GraphQLError.WithCode(ErrorCodes.BadUserInput)));
                break;
            }

            var name = definition.Variable.Name.Value;
            var type = TypeInfo.TypeFromAst(schema, definition.Type);
            if (type is not { IsInputType: true })
            {
                errors.Add(Error($"Variable \"${name}\" expected value of type \"{Printer.Print(definition.Type)}\" which cannot be used as an input type.", definition.Type));
                continue;
            }

            if (!inputs.TryGetValue(name, out var value))
            {
                if (definition.DefaultValue is not null)
                {
                    if (LiteralValues.TryCoerce(definition.DefaultValue, type, null, out var defaultValue))
                    {
                        coerced[name] = defaultValue;
                    }
                }
                else if (type.IsNonNull)
                {
                    errors.Add(Error($"Variable \"${name}\" of required type \"{type}\" was not provided.", definition));
                }

                continue;
            }

            if (value is null && type.IsNonNull)
            {
                errors.Add(Error($"Variable \"${name}\" of non-null type \"{type}\" must not be null.", definition));
                continue;
            }

            coerced[name] = InputValues.Coerce(value, type, problem =>
            {
                var at = problem.Path.Count > 0 ? $" at \"{name}{problem.PrintedPath}\"" : "";
                errors.Add(Error($"Variable \"${name}\" got invalid value {Inspect.Value(problem.InvalidValue)}{at}; {problem.Message}", definition));
            });
        }

        return coerced;
    }

    private static GraphQLError Error(string message, Node node) => GraphQLError.At(message, ErrorCodes.BadUserInput, node);
}
