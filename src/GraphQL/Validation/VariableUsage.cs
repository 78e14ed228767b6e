using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation;

/// <summary>A variable used in a value position, with the input type expected there (graphql-js VariableUsage).</summary>
/// <param name="Node">The variable.</param>
/// <param name="Type">The type expected where it is used; null when the position is unknown to the schema.</param>
/// <param name="LocationHasDefaultValue">Whether the argument or input field it is used for has a default value.</param>
/// <param name="ParentInputType">The input type that contains the position (an input object for a field of one).</param>
public sealed record VariableUsage(VariableNode Node, GraphQLType? Type, bool LocationHasDefaultValue, GraphQLType? ParentInputType);
