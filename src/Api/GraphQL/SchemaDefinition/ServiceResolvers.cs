using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

internal static class ServiceResolvers
{
    /// <summary>
    /// Resolves through the Api's services: their typed failures (unknown track, refused input, store unavailable)
    /// become coded GraphQL errors (<see cref="GraphQLErrorCodes.Translate"/>); anything else stays a bug, which the
    /// engine logs and reports without internals.
    /// </summary>
    public static FieldBuilder<TSource> ResolveService<TSource, TResult>(this FieldBuilder<TSource> field, Func<FieldContext<TSource>, Task<TResult>> resolve)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(resolve);
        return field.ResolveAsync(async context =>
        {
            try
            {
                return await resolve(context).ConfigureAwait(false);
            }
            catch (Exception exception) when (GraphQLErrorCodes.IsTranslatable(exception))
            {
                throw GraphQLErrorCodes.Translate(exception);
            }
        });
    }

    public static GraphQLRequestContext Request<TSource>(this FieldContext<TSource> context) => context.ContextAs<GraphQLRequestContext>();
}
