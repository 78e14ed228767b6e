using System.Collections;
using System.Globalization;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>Conversions between literals in a document and values (graphql-js valueFromAST, valueFromASTUntyped, astFromValue).</summary>
public static class LiteralValues
{
    /// <summary>
    /// Coerces a literal to <paramref name="type"/>'s internal value (spec 5.6.1 / 6.4.1), substituting coerced
    /// <paramref name="variables"/>. False when the literal is not valid for the type; validation reports why, so no
    /// reason is given here.
    /// </summary>
    public static bool TryCoerce(ValueNode literal, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        ArgumentNullException.ThrowIfNull(literal);
        ArgumentNullException.ThrowIfNull(type);
        value = null;
        if (literal is VariableNode variable)
        {
            // A variable without a runtime value is "undefined": invalid here, the caller decides about defaults.
            if (variables is null || !variables.TryGetValue(variable.Name.Value, out var variableValue))
            {
                return false;
            }

            value = variableValue;
            return variableValue is not null || !type.IsNonNull;
        }

        if (type is NonNullType nonNull)
        {
            return literal is not NullValueNode && TryCoerce(literal, nonNull.OfType, variables, out value);
        }

        if (literal is NullValueNode)
        {
            return true;
        }

        switch (type)
        {
            case ListType list:
                return TryCoerceList(literal, list, variables, out value);
            case InputObjectType inputObject:
                return TryCoerceInputObject(literal, inputObject, variables, out value);
            default:
                try
                {
                    value = type is EnumType enumType ? enumType.ParseLiteral(literal) : ((ScalarType)type).ParseLiteral(literal, variables);
                    return true;
                }
                catch (Exception exception) when (exception is GraphQLException or FormatException or ArgumentException or InvalidCastException or OverflowException)
                {
                    return false;
                }
        }
    }

    private static bool TryCoerceList(ValueNode literal, ListType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (literal is not ListValueNode list)
        {
            // A single value where a list is expected is a list of one.
            if (!TryCoerce(literal, type.OfType, variables, out var single))
            {
                return false;
            }

            value = new[] { single };
            return true;
        }

        var items = new object?[list.Values.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var item = list.Values[i];
            if (IsMissingVariable(item, variables))
            {
                if (type.OfType.IsNonNull)
                {
                    return false;
                }

                continue;
            }

            if (!TryCoerce(item, type.OfType, variables, out items[i]))
            {
                return false;
            }
        }

        value = items;
        return true;
    }

    private static bool TryCoerceInputObject(ValueNode literal, InputObjectType type, IReadOnlyDictionary<string, object?>? variables,
        out object? value)
    {
        value = null;
        if (literal is not ObjectValueNode objectValue)
        {
            return false;
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            var fieldNode = objectValue.Fields.FirstOrDefault(node => node.Name.Value == field.Name);
            if (fieldNode is null || IsMissingVariable(fieldNode.Value, variables))
            {
                if (field.HasDefaultValue)
                {
                    fields[field.Name] = field.DefaultValue;
                }
                else if (field.Type.IsNonNull)
                {
                    return false;
                }

                continue;
            }

            if (!TryCoerce(fieldNode.Value, field.Type, variables, out var fieldValue))
            {
                return false;
            }

            fields[field.Name] = fieldValue;
        }

        if (type.IsOneOf && (fields.Count != 1 || fields.Values.First() is null))
        {
            return false;
        }

        try
        {
            value = type.Finish(fields);
            return true;
        }
        catch (GraphQLException)
        {
            return false;
        }
    }

    private static bool IsMissingVariable(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is VariableNode variable && (variables is null || !variables.ContainsKey(variable.Name.Value));

    /// <summary>
    /// A literal as a plain value, without a type: numbers as <see cref="double"/>, enums as their names, lists and
    /// objects as arrays and dictionaries (graphql-js valueFromASTUntyped). Custom scalars read literals this way.
    /// </summary>
    public static object? ToPlainValue(ValueNode literal, IReadOnlyDictionary<string, object?>? variables)
    {
        ArgumentNullException.ThrowIfNull(literal);
        return literal switch
        {
            NullValueNode => null,
            IntValueNode integer => double.Parse(integer.Value, CultureInfo.InvariantCulture),
            FloatValueNode number => double.Parse(number.Value, CultureInfo.InvariantCulture),
            StringValueNode text => text.Value,
            EnumValueNode enumValue => enumValue.Value,
            BooleanValueNode boolean => boolean.Value,
            ListValueNode list => list.Values.Select(item => ToPlainValue(item, variables)).ToArray(),
            ObjectValueNode objectValue => objectValue.Fields
                .GroupBy(field => field.Name.Value, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => ToPlainValue(group.Last().Value, variables), StringComparer.Ordinal),
            VariableNode variable => variables?.GetValueOrDefault(variable.Name.Value),
            _ => null,
        };
    }

    /// <summary>
    /// The literal that stands for an internal value of <paramref name="type"/> (graphql-js astFromValue): how
    /// defaults are printed in SDL and introspection. Null when the value cannot be written as a literal.
    /// </summary>
    /// <param name="value">An internal value; input objects as dictionaries, lists as any enumerable.</param>
    /// <param name="type">The input type the value belongs to.</param>
    /// <param name="present">False for an absent ("undefined") value, which has no literal.</param>
    public static ValueNode? FromValue(object? value, GraphQLType type, bool present = true)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type is NonNullType nonNull)
        {
            var inner = FromValue(value, nonNull.OfType, present);
            return inner is NullValueNode ? null : inner;
        }

        if (!present)
        {
            return null;
        }

        if (value is null)
        {
            return new NullValueNode();
        }

        switch (type)
        {
            case ListType list:
                return value is IEnumerable items and not string and not IReadOnlyDictionary<string, object?>
                    ? new ListValueNode([.. items.Cast<object?>().Select(item => FromValue(item, list.OfType)).OfType<ValueNode>()])
                    : FromValue(value, list.OfType);
            case InputObjectType inputObject:
                if (value is not IReadOnlyDictionary<string, object?> fields)
                {
                    return null;
                }

                return new ObjectValueNode(
                [
                    .. inputObject.Fields
                        .Select(field => (field.Name, Literal: FromValue(fields.GetValueOrDefault(field.Name), field.Type, fields.ContainsKey(field.Name))))
                        .Where(pair => pair.Literal is not null)
                        .Select(pair => new ObjectFieldNode(new NameNode(pair.Name), pair.Literal!)),
                ]);
            case EnumType enumType:
                return new EnumValueNode(enumType.Serialize(value));
            default:
                return FromSerialized(((ScalarType)type).Serialize(value), type);
        }
    }

    private static ValueNode? FromSerialized(object? serialized, GraphQLType type)
    {
        switch (serialized)
        {
            case null:
                return null;
            case bool boolean:
                return new BooleanValueNode(boolean);
            case string text:
                return type == BuiltInScalars.ID && IsIntegerText(text) ? new IntValueNode(text) : new StringValueNode(text);
            default:
                if (Utilities.JsonValues.IsNumber(serialized))
                {
                    var number = Convert.ToDouble(serialized, CultureInfo.InvariantCulture);
                    if (double.IsFinite(number))
                    {
                        var text = Utilities.JsNumber.Format(number);
                        return IsIntegerText(text) ? new IntValueNode(text) : new FloatValueNode(text);
                    }
                }

                throw new ArgumentException($"Cannot convert value to AST: {Utilities.Inspect.Value(serialized)}.", nameof(serialized));
        }
    }

    /// <summary>-?(0|[1-9][0-9]*)</summary>
    private static bool IsIntegerText(string text)
    {
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        return digits.Length > 0 && (digits is "0" || (digits[0] != '0' && !digits.ContainsAnyExceptInRange('0', '9')));
    }
}
