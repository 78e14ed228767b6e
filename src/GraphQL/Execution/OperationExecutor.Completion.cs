using System.Collections;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Execution;

internal sealed partial class OperationExecutor
{
    /// <summary>
    /// Spec 6.4.3 CompleteValue: turns a resolver's value into the response value its type calls for — serialized
    /// leaves, completed list items, objects executed with their sub-selections — failing on nulls in non-null positions.
    /// </summary>
    private ValueTask<object?> CompleteValue(GraphQLType type, FieldSite site, ResponsePath path, object? value)
    {
        if (value is Exception exception)
        {
            throw exception;
        }

        if (type is NonNullType nonNull)
        {
            var completed = CompleteValue(nonNull.OfType, site, path, value);
            if (!completed.IsCompletedSuccessfully)
            {
                return EnsureNotNullAsync(completed, site);
            }

            return completed.Result is null ? throw NullInNonNullField(site) : completed;
        }

        return value switch
        {
            null => new ValueTask<object?>((object?)null),
            _ => type switch
            {
                ListType list => CompleteList(list, site, path, value),
                ScalarType scalar => new ValueTask<object?>(Serialize(scalar, value)),
                EnumType enumType => new ValueTask<object?>(enumType.Serialize(value)),
                ObjectType objectType => CompleteObject(objectType, site, path, value),
                _ => CompleteObject(ResolveRuntimeType((NamedType)type, site, value), site, path, value),
            },
        };
    }

    private static async ValueTask<object?> EnsureNotNullAsync(ValueTask<object?> completion, FieldSite site) =>
        await completion ?? throw NullInNonNullField(site);

    private static GraphQLException NullInNonNullField(FieldSite site) =>
        new($"Cannot return null for non-nullable field {site.ParentType.Name}.{site.Field.Name}.", ErrorCodes.InternalServerError);

    private static object Serialize(ScalarType scalar, object value) =>
        scalar.Serialize(value) ?? throw new GraphQLException(
            $"Expected `{scalar.Name}.serialize({Inspect.Value(value)})` to return non-nullable value, returned: null", ErrorCodes.InternalServerError);

    /// <summary>Completes each item against the item type; an item's failure is handled at the item, with its index in the path.</summary>
    private ValueTask<object?> CompleteList(ListType type, FieldSite site, ResponsePath path, object value)
    {
        if (value is string or IDictionary or not IEnumerable)
        {
            throw new GraphQLException($"Expected Iterable, but did not find one for field \"{site.ParentType.Name}.{site.Field.Name}\".",
                ErrorCodes.InternalServerError);
        }

        var items = new List<object?>(value is ICollection collection ? collection.Count : 4);
        List<Task>? pending = null;
        var index = 0;
        foreach (var item in (IEnumerable)value)
        {
            var itemPath = path.Append(index);
            ValueTask<object?> completed;
            try
            {
                var itemValue = CompleteValue(type.OfType, site, itemPath, item);
                completed = itemValue.IsCompletedSuccessfully ? itemValue : GuardAsync(itemValue, type.OfType, site, itemPath);
            }
            catch (Exception exception) when (!IsCancellation(exception))
            {
                completed = new ValueTask<object?>(HandleFieldError(exception, type.OfType, site, itemPath));
            }

            items.Add(null);
            if (completed.IsCompletedSuccessfully)
            {
                items[index] = completed.Result;
            }
            else
            {
                (pending ??= []).Add(SetItemWhenDone(items, index, completed));
            }

            index++;
        }

        return pending is null ? new ValueTask<object?>(items.ToArray()) : AwaitItemsAsync(items, pending);
    }

    private static async Task SetItemWhenDone(List<object?> items, int index, ValueTask<object?> completion) => items[index] = await completion;

    private static async ValueTask<object?> AwaitItemsAsync(List<object?> items, List<Task> pending)
    {
        await WhenAllThenFirstFailure(pending);
        return items.ToArray();
    }

    private ValueTask<object?> CompleteObject(ObjectType type, FieldSite site, ResponsePath path, object value)
    {
        if (type.IsTypeOf is { } isTypeOf && !isTypeOf(value))
        {
            throw new GraphQLException($"Expected value of type \"{type.Name}\" but got: {Inspect.Value(value)}.", ErrorCodes.InternalServerError);
        }

        var executing = ExecuteFields(type, value, path, Subfields(type, site.Nodes));
        return executing.IsCompletedSuccessfully ? new ValueTask<object?>(executing.Result) : AsObjectAsync(executing);
    }

    private static async ValueTask<object?> AsObjectAsync(ValueTask<ResultObject> executing) => await executing;

    /// <summary>Sub-fields depend only on the object type and the field's nodes: collected once per operation.</summary>
    private CollectedFields Subfields(ObjectType type, IReadOnlyList<Language.Ast.FieldNode> nodes)
    {
        if (!_subfields.TryGetValue((type, nodes), out var fields))
        {
            fields = FieldCollector.CollectSubfields(operation, type, nodes);
            _subfields[(type, nodes)] = fields;
        }

        return fields;
    }

    /// <summary>
    /// The object type of a value of an interface or union: the type's own resolver, else a <c>__typename</c> entry,
    /// else the first possible type whose IsTypeOf accepts it (graphql-js's default type resolver).
    /// </summary>
    private ObjectType ResolveRuntimeType(NamedType abstractType, FieldSite site, object value)
    {
        var schema = operation.Schema;
        var name = ((IAbstractType)abstractType).ResolveType?.Invoke(value)
            ?? (value as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault("__typename") as string
            ?? schema.GetPossibleTypes(abstractType).FirstOrDefault(type => type.IsTypeOf?.Invoke(value) == true)?.Name;
        if (name is null)
        {
            throw Error($"Abstract type \"{abstractType.Name}\" must resolve to an Object type at runtime for field \"{site.ParentType.Name}.{site.Field.Name}\". Either the \"{abstractType.Name}\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function.");
        }

        return schema.GetType(name) switch
        {
            null => throw Error($"Abstract type \"{abstractType.Name}\" was resolved to a type \"{name}\" that does not exist inside the schema."),
            ObjectType runtimeType when schema.IsSubType(abstractType, runtimeType) => runtimeType,
            ObjectType runtimeType => throw Error($"Runtime Object type \"{runtimeType.Name}\" is not a possible type for \"{abstractType.Name}\"."),
            _ => throw Error($"Abstract type \"{abstractType.Name}\" was resolved to a non-object type \"{name}\"."),
        };

        static GraphQLException Error(string message) => new(message, ErrorCodes.InternalServerError);
    }
}
