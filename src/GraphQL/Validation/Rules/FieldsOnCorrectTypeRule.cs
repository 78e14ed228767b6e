using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Field Selections (spec 5.3.1): a selected field is defined on the type it is selected on. The error suggests
/// types to narrow to with an inline fragment, or else similarly spelled fields, as graphql-js does.
/// </summary>
public sealed class FieldsOnCorrectTypeRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(FieldNode node)
        {
            if (context.ParentType is not { } parentType || context.FieldDefinition is not null)
            {
                return;
            }

            var name = node.Name.Value;
            var suggestion = Suggestions.DidYouMean(SuggestedTypeNames(context.Schema, parentType, name), "to use an inline fragment on");
            if (suggestion.Length == 0)
            {
                var fieldNames = parentType is FieldsType fieldsType ? fieldsType.Fields.Select(field => field.Name) : [];
                suggestion = Suggestions.DidYouMean(Suggestions.Closest(name, fieldNames));
            }

            context.ReportError($"Cannot query field \"{name}\" on type \"{parentType.Name}\".{suggestion}", node);
        }

        /// <summary>
        /// For an interface or union: the object types and interfaces within it that define the field, those that
        /// more of the possible types share first, then super types before their sub types, then by name.
        /// </summary>
        private static List<string> SuggestedTypeNames(Schema schema, NamedType type, string fieldName)
        {
            if (!type.IsAbstractType)
            {
                return [];
            }

            var usageCount = new Dictionary<NamedType, int>();
            foreach (var possibleType in schema.GetPossibleTypes(type))
            {
                if (possibleType.GetField(fieldName) is null)
                {
                    continue;
                }

                usageCount[possibleType] = 1;
                foreach (var implemented in possibleType.Interfaces)
                {
                    if (implemented.GetField(fieldName) is not null)
                    {
                        usageCount[implemented] = usageCount.GetValueOrDefault(implemented) + 1;
                    }
                }
            }

            var order = Comparer<NamedType>.Create((a, b) =>
            {
                if (usageCount[b] != usageCount[a])
                {
                    return usageCount[b] - usageCount[a];
                }

                if (a is InterfaceType && schema.IsSubType(a, b))
                {
                    return -1;
                }

                if (b is InterfaceType && schema.IsSubType(b, a))
                {
                    return 1;
                }

                return Suggestions.NaturalCompare(a.Name, b.Name);
            });
            return [.. usageCount.Keys.Order(order).Select(suggested => suggested.Name)];
        }
    }
}
