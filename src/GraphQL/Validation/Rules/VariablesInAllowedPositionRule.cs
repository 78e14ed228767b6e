using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// All Variable Usages Are Allowed (spec 5.8.5): a variable's type fits every position it is used in, also through
/// fragments; a nullable variable may fill a non-null position only when the variable or the position has a
/// default. A field of a @oneOf input object takes only non-null variables.
/// </summary>
public sealed class VariablesInAllowedPositionRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly Dictionary<string, VariableDefinitionNode> _definitions = new(StringComparer.Ordinal);

        protected override void Enter(OperationDefinitionNode node) => _definitions.Clear();

        protected override void Enter(VariableDefinitionNode node) => _definitions[node.Variable.Name.Value] = node;

        protected override void Leave(OperationDefinitionNode node)
        {
            foreach (var usage in context.GetRecursiveVariableUsages(node))
            {
                var name = usage.Node.Name.Value;
                if (!_definitions.TryGetValue(name, out var definition) || usage.Type is not { } locationType)
                {
                    continue;
                }

                var variableType = TypeInfo.TypeFromAst(context.Schema, definition.Type);
                if (variableType is not null && !IsAllowed(variableType, definition.DefaultValue, locationType, usage.LocationHasDefaultValue))
                {
                    context.ReportError(
                        $"Variable \"${name}\" of type \"{variableType}\" used in position expecting type \"{locationType}\".", definition, usage.Node);
                }

                if (usage.ParentInputType is InputObjectType { IsOneOf: true } oneOf && variableType is not NonNullType)
                {
                    context.ReportError(
                        $"Variable \"${name}\" is of type \"{variableType?.ToString() ?? "undefined"}\" but must be non-nullable to be used for OneOf Input Object \"{oneOf.Name}\".",
                        definition,
                        usage.Node);
                }
            }
        }

        private bool IsAllowed(GraphQLType variableType, ValueNode? variableDefault, GraphQLType locationType, bool locationHasDefault)
        {
            if (locationType is NonNullType nonNullLocation && variableType is not NonNullType)
            {
                var hasNonNullVariableDefault = variableDefault is not null and not NullValueNode;
                return (hasNonNullVariableDefault || locationHasDefault) &&
                    TypeComparators.IsTypeSubTypeOf(context.Schema, variableType, nonNullLocation.OfType);
            }

            return TypeComparators.IsTypeSubTypeOf(context.Schema, variableType, locationType);
        }
    }
}
