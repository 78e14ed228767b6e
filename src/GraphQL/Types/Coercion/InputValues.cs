using System.Collections;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Types;

/// <summary>One problem met while coercing an input value: where in the value, the offending part, and why.</summary>
/// <param name="Path">Field names and list indexes from the top of the value down to the offending part.</param>
/// <param name="InvalidValue">The offending part of the value.</param>
/// <param name="Message">Why it is invalid, in graphql-js's words.</param>
public sealed record InputCoercionError(IReadOnlyList<object> Path, object? InvalidValue, string Message)
{
    /// <summary>The path as graphql-js prints it after a variable's name: <c>.field[0].other</c>.</summary>
    public string PrintedPath => string.Concat(Path.Select(key => key is int index ? $"[{index}]" : $".{key}"));
}

/// <summary>Coerces external input values (JSON variables) to a type's internal values (spec 3.x "Input Coercion").</summary>
public static class InputValues
{
    /// <summary>
    /// Coerces <paramref name="value"/> (plain JSON shapes: dictionaries, lists, strings, numbers, booleans, null) to
    /// <paramref name="type"/>, reporting every problem to <paramref name="onError"/> (graphql-js coerceInputValue).
    /// </summary>
    /// <returns>The internal value; meaningless if an error was reported.</returns>
    public static object? Coerce(object? value, GraphQLType type, Action<InputCoercionError> onError)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(onError);
        return Coerce(value, type, onError, []);
    }

    private static object? Coerce(object? value, GraphQLType type, Action<InputCoercionError> onError, List<object> path)
    {
        if (type is NonNullType nonNull)
        {
            if (value is not null)
            {
                return Coerce(value, nonNull.OfType, onError, path);
            }

            onError(new InputCoercionError([.. path], value, $"Expected non-nullable type \"{type}\" not to be null."));
            return null;
        }

        if (value is null)
        {
            return null;
        }

        switch (type)
        {
            case ListType list:
                if (value is IEnumerable items and not string and not IDictionary and not IReadOnlyDictionary<string, object?>)
                {
                    var coerced = new List<object?>();
                    var index = 0;
                    foreach (var item in items)
                    {
                        path.Add(index++);
                        coerced.Add(Coerce(item, list.OfType, onError, path));
                        path.RemoveAt(path.Count - 1);
                    }

                    return coerced.ToArray();
                }

                // A single value where a list is expected is a list of one.
                return new[] { Coerce(value, list.OfType, onError, path) };
            case InputObjectType inputObject:
                return CoerceInputObject(value, inputObject, onError, path);
            default:
                try
                {
                    return type is EnumType enumType ? enumType.ParseValue(value) : ((ScalarType)type).ParseValue(value);
                }
                catch (GraphQLException exception)
                {
                    onError(new InputCoercionError([.. path], value, exception.Message));
                    return null;
                }
                catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidCastException or OverflowException)
                {
                    // A custom scalar's parser failing in its own way; graphql-js words it so too.
                    onError(new InputCoercionError([.. path], value, $"Expected type \"{((NamedType)type).Name}\". {exception.Message}"));
                    return null;
                }
        }
    }

    private static object? CoerceInputObject(object value, InputObjectType type, Action<InputCoercionError> report, List<object> path)
    {
        // Counted so that an object with errors is never handed to the type's Create function.
        var errorCount = 0;
        void onError(InputCoercionError error)
        {
            errorCount++;
            report(error);
        }

        if (value is not IReadOnlyDictionary<string, object?> given)
        {
            onError(new InputCoercionError([.. path], value, $"Expected type \"{type.Name}\" to be an object."));
            return null;
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (!given.TryGetValue(field.Name, out var fieldValue))
            {
                if (field.HasDefaultValue)
                {
                    fields[field.Name] = field.DefaultValue;
                }
                else if (field.Type.IsNonNull)
                {
                    onError(new InputCoercionError([.. path], value, $"Field \"{field.Name}\" of required type \"{field.Type}\" was not provided."));
                }

                continue;
            }

            path.Add(field.Name);
            fields[field.Name] = Coerce(fieldValue, field.Type, onError, path);
            path.RemoveAt(path.Count - 1);
        }

        foreach (var name in given.Keys)
        {
            if (type.GetField(name) is null)
            {
                var suggestions = Suggestions.Closest(name, type.Fields.Select(field => field.Name));
                onError(new InputCoercionError([.. path], value, $"Field \"{name}\" is not defined by type \"{type.Name}\".{Suggestions.DidYouMean(suggestions)}"));
            }
        }

        if (type.IsOneOf)
        {
            if (fields.Count != 1)
            {
                onError(new InputCoercionError([.. path], value, $"Exactly one key must be specified for OneOf type \"{type.Name}\"."));
            }

            if (fields.Count > 0 && fields.First() is { Value: null } only)
            {
                onError(new InputCoercionError([.. path, only.Key], null, $"Field \"{only.Key}\" must be non-null."));
            }
        }

        if (errorCount > 0)
        {
            return null;
        }

        try
        {
            return type.Finish(fields);
        }
        catch (GraphQLException exception)
        {
            onError(new InputCoercionError([.. path], value, exception.Message));
            return null;
        }
    }
}
