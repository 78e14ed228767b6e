using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Executes one operation (spec 6.2–6.4): root fields of a query concurrently, of a mutation one after another;
/// each field resolved, then completed against its type; errors recorded with their path, and nulls propagated up
/// to the nearest nullable field (spec 6.4.4). Runs on an <see cref="ExecutionPump"/>, so its state needs no locks.
/// </summary>
/// <remarks>Value completion lives in <c>OperationExecutor.Completion.cs</c>.</remarks>
[SuppressMessage("Reliability", "CA2007:Consider calling ConfigureAwait on the awaited task",
    Justification = "Continuations must come back to the execution pump; see ExecutionPump.")]
internal sealed partial class OperationExecutor(OperationContext operation, ILogger logger)
{
    private readonly List<GraphQLError> _errors = [];
    private readonly Dictionary<(ObjectType Type, IReadOnlyList<FieldNode> Nodes), CollectedFields> _subfields = new(SubfieldKeyComparer.Instance);
    private readonly Dictionary<(FieldDefinition Field, FieldNode Node), IReadOnlyDictionary<string, object?>> _arguments = new(ArgumentKeyComparer.Instance);

    public async ValueTask<ExecutionResult> ExecuteAsync(ObjectType rootType)
    {
        ResultObject? data;
        try
        {
            var fields = FieldCollector.Collect(operation, rootType, operation.Operation.SelectionSet);
            data = operation.Operation.Operation == OperationType.Mutation
                ? await ExecuteFieldsSeriallyAsync(rootType, fields)
                : await ExecuteFields(rootType, operation.RootValue, path: null, fields);
        }
        catch (PropagateNullException)
        {
            data = null;
        }
        catch (FieldErrorException exception)
        {
            _errors.Add(exception.Error);
            data = null;
        }

        return ExecutionResult.Executed(data, _errors);
    }

    /// <summary>Executes the fields of one object: all resolvers start before any is awaited.</summary>
    private ValueTask<ResultObject> ExecuteFields(ObjectType type, object? source, ResponsePath? path, CollectedFields fields)
    {
        var result = new ResultObject(fields.Keys);
        List<Task>? pending = null;
        for (var i = 0; i < fields.Count; i++)
        {
            var key = fields.Keys[i];
            ValueTask<object?> value;
            try
            {
                value = ExecuteField(type, source, fields.NodesAt(i), path is null ? ResponsePath.Root(key) : path.Append(key));
            }
            catch (PropagateNullException) when (pending is not null)
            {
                // This object is null now; fields already started still finish, so that no work outlives the request.
                return AwaitThenPropagateNull(pending);
            }

            if (value.IsCompletedSuccessfully)
            {
                result.Set(i, value.Result);
            }
            else
            {
                (pending ??= []).Add(SetWhenDone(result, i, value));
            }
        }

        return pending is null ? new ValueTask<ResultObject>(result) : AwaitAll(result, pending);
    }

    private async ValueTask<ResultObject> ExecuteFieldsSeriallyAsync(ObjectType type, CollectedFields fields)
    {
        var result = new ResultObject(fields.Keys);
        for (var i = 0; i < fields.Count; i++)
        {
            result.Set(i, await ExecuteField(type, operation.RootValue, fields.NodesAt(i), ResponsePath.Root(fields.Keys[i])));
        }

        return result;
    }

    /// <summary>Resolves and completes one field; a failure becomes a recorded error and null, or propagates when the field is non-null.</summary>
    private ValueTask<object?> ExecuteField(ObjectType parentType, object? source, IReadOnlyList<FieldNode> nodes, ResponsePath path)
    {
        var node = nodes[0];
        var field = operation.Schema.GetFieldDefinition(parentType, node.Name.Value);
        if (field is null)
        {
            return new ValueTask<object?>(ResultObject.Omitted);
        }

        var site = new FieldSite(parentType, field, nodes);
        try
        {
            operation.CancellationToken.ThrowIfCancellationRequested();
            var context = new FieldContext(operation, parentType, field, nodes, source, Arguments(field, node), path);
            var resolved = field.Resolver!(context);
            if (!resolved.IsCompletedSuccessfully)
            {
                return ResolveThenCompleteAsync(resolved, site, path);
            }

            var completed = CompleteValue(field.Type, site, path, resolved.Result);
            return completed.IsCompletedSuccessfully ? completed : GuardAsync(completed, field.Type, site, path);
        }
        catch (Exception exception) when (!IsCancellation(exception))
        {
            return new ValueTask<object?>(HandleFieldError(exception, field.Type, site, path));
        }
    }

    private async ValueTask<object?> ResolveThenCompleteAsync(ValueTask<object?> resolved, FieldSite site, ResponsePath path)
    {
        try
        {
            return await CompleteValue(site.Field.Type, site, path, await resolved);
        }
        catch (Exception exception) when (!IsCancellation(exception))
        {
            return HandleFieldError(exception, site.Field.Type, site, path);
        }
    }

    /// <summary>Awaits a completion that went asynchronous, handling its failure as the field's (or list item's) error.</summary>
    private async ValueTask<object?> GuardAsync(ValueTask<object?> completion, GraphQLType type, FieldSite site, ResponsePath path)
    {
        try
        {
            return await completion;
        }
        catch (Exception exception) when (!IsCancellation(exception))
        {
            return HandleFieldError(exception, type, site, path);
        }
    }

    /// <summary>
    /// Spec 6.4.4: records the error (once, where it arose) and yields null; for a non-null position, propagates
    /// instead, so that the parent becomes null in its turn.
    /// </summary>
    private object? HandleFieldError(Exception exception, GraphQLType type, FieldSite site, ResponsePath path)
    {
        if (exception is not PropagateNullException)
        {
            _errors.Add(ToError(exception, site, path));
        }

        return type.IsNonNull ? throw new PropagateNullException() : null;
    }

    private GraphQLError ToError(Exception exception, FieldSite site, ResponsePath path)
    {
        var locations = site.Nodes.Select(node => node.Location.StartLocation).ToList();
        switch (exception)
        {
            case FieldErrorException located:
                return new GraphQLError(located.Error.Message, located.Error.Locations ?? locations, path.ToList(), located.Error.Extensions);
            case GraphQLException graphQL:
                return new GraphQLError(graphQL.Message, locations, path.ToList(),
                    GraphQLError.WithCode(graphQL.Code ?? ErrorCodes.InternalServerError, graphQL.Extensions));
            default:
                LogResolverFailure(logger, exception, $"{site.ParentType.Name}.{site.Field.Name}", path.ToString());
                return new GraphQLError("Unexpected error.", locations, path.ToList(), GraphQLError.WithCode(ErrorCodes.InternalServerError));
        }
    }

    private IReadOnlyDictionary<string, object?> Arguments(FieldDefinition field, FieldNode node)
    {
        if (field.Arguments.Count == 0)
        {
            return ArgumentCoercion.Coerce(field.Arguments, node, node.Arguments, operation.Variables);
        }

        if (!_arguments.TryGetValue((field, node), out var arguments))
        {
            arguments = ArgumentCoercion.Coerce(field.Arguments, node, node.Arguments, operation.Variables);
            _arguments[(field, node)] = arguments;
        }

        return arguments;
    }

    private bool IsCancellation(Exception exception) =>
        exception is OperationCanceledException && operation.CancellationToken.IsCancellationRequested;

    private static async Task SetWhenDone(ResultObject result, int index, ValueTask<object?> value) => result.Set(index, await value);

    private static async ValueTask<ResultObject> AwaitAll(ResultObject result, List<Task> pending)
    {
        await WhenAllThenFirstFailure(pending);
        return result;
    }

    private static async ValueTask<ResultObject> AwaitThenPropagateNull(List<Task> pending)
    {
        await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
        throw new PropagateNullException();
    }

    /// <summary>Waits for every task, then rethrows the failure of the first one in order (deterministic, unlike completion order).</summary>
    private static async Task WhenAllThenFirstFailure(List<Task> pending)
    {
        try
        {
            await Task.WhenAll(pending);
        }
        catch (PropagateNullException)
        {
            var firstFailure = pending.First(task => task.IsFaulted).Exception!.InnerException!;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(firstFailure);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resolver of {Field} failed at {Path}")]
    private static partial void LogResolverFailure(ILogger logger, Exception exception, string field, string path);

    /// <summary>A field being completed: where "Cannot return null for non-nullable field T.f." and friends point.</summary>
    private readonly record struct FieldSite(ObjectType ParentType, FieldDefinition Field, IReadOnlyList<FieldNode> Nodes);

    /// <summary>Carries "this value is null" up to the nearest nullable position; its error is already recorded.</summary>
    private sealed class PropagateNullException : Exception
    {
    }

    private sealed class SubfieldKeyComparer : IEqualityComparer<(ObjectType Type, IReadOnlyList<FieldNode> Nodes)>
    {
        public static readonly SubfieldKeyComparer Instance = new();

        public bool Equals((ObjectType Type, IReadOnlyList<FieldNode> Nodes) x, (ObjectType Type, IReadOnlyList<FieldNode> Nodes) y) =>
            ReferenceEquals(x.Type, y.Type) && ReferenceEquals(x.Nodes, y.Nodes);

        public int GetHashCode((ObjectType Type, IReadOnlyList<FieldNode> Nodes) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Type), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Nodes));
    }

    private sealed class ArgumentKeyComparer : IEqualityComparer<(FieldDefinition Field, FieldNode Node)>
    {
        public static readonly ArgumentKeyComparer Instance = new();

        public bool Equals((FieldDefinition Field, FieldNode Node) x, (FieldDefinition Field, FieldNode Node) y) =>
            ReferenceEquals(x.Field, y.Field) && ReferenceEquals(x.Node, y.Node);

        public int GetHashCode((FieldDefinition Field, FieldNode Node) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Field), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Node));
    }
}
