namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Produces a field's value. Synchronous resolvers return a completed <see cref="ValueTask{TResult}"/>, which costs no
/// allocation; asynchronous ones run concurrently with their sibling fields (queries) or one after another (mutations).
/// </summary>
public delegate ValueTask<object?> FieldResolver(FieldContext context);
