using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Execution;

/// <summary>Spec 6.4.1 CoerceArgumentValues, with graphql-js's messages; failures throw a located <see cref="FieldErrorException"/>.</summary>
internal static class ArgumentCoercion
{
    private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

    /// <param name="definitions">The arguments the field or directive defines.</param>
    /// <param name="owner">The field or directive node, where a missing argument is reported.</param>
    /// <param name="given">The arguments written in the document.</param>
    /// <param name="variables">The operation's coerced variables.</param>
    public static IReadOnlyDictionary<string, object?> Coerce(IReadOnlyList<InputValueDefinition> definitions, Node owner,
        IReadOnlyList<ArgumentNode> given, IReadOnlyDictionary<string, object?> variables)
    {
        if (definitions.Count == 0)
        {
            return None;
        }

        var coerced = new Dictionary<string, object?>(definitions.Count, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var name = definition.Name;
            var argument = FindArgument(given, name);
            if (argument is null)
            {
                if (definition.HasDefaultValue)
                {
                    coerced[name] = definition.DefaultValue;
                }
                else if (definition.Type.IsNonNull)
                {
                    throw Error($"Argument \"{name}\" of required type \"{definition.Type}\" was not provided.", owner);
                }

                continue;
            }

            var value = argument.Value;
            var isNull = value is NullValueNode;
            if (value is VariableNode variable)
            {
                if (!variables.TryGetValue(variable.Name.Value, out var variableValue))
                {
                    if (definition.HasDefaultValue)
                    {
                        coerced[name] = definition.DefaultValue;
                    }
                    else if (definition.Type.IsNonNull)
                    {
                        throw Error($"Argument \"{name}\" of required type \"{definition.Type}\" was provided the variable \"${variable.Name.Value}\" which was not provided a runtime value.", value);
                    }

                    continue;
                }

                isNull = variableValue is null;
            }

            if (isNull && definition.Type.IsNonNull)
            {
                throw Error($"Argument \"{name}\" of non-null type \"{definition.Type}\" must not be null.", value);
            }

            if (!LiteralValues.TryCoerce(value, definition.Type, variables, out var coercedValue))
            {
                throw Error($"Argument \"{name}\" has invalid value {Printer.Print(value)}.", value);
            }

            coerced[name] = coercedValue;
        }

        return coerced;
    }

    private static ArgumentNode? FindArgument(IReadOnlyList<ArgumentNode> given, string name)
    {
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i].Name.Value == name)
            {
                return given[i];
            }
        }

        return null;
    }

    private static FieldErrorException Error(string message, Node node) =>
        new(GraphQLError.At(message, ErrorCodes.BadUserInput, node));
}

/// <summary>A field error already worded and located; the executor records it with the field's path.</summary>
internal sealed class FieldErrorException(GraphQLError error) : Exception(error.Message)
{
    public GraphQLError Error { get; } = error;
}
