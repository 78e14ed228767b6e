using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Values of Correct Type (spec 5.6.1) and Input Object Required Fields (5.6.4), Input Object Field Names (5.6.2),
/// and the @oneOf rules for literals: each literal can be coerced to the type expected where it stands. Leaf values
/// are checked by their own type's literal parsing, so messages are the scalar's or enum's own.
/// </summary>
public sealed class ValuesOfCorrectTypeRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(ListValueNode node)
        {
            // Type information has already stepped into the item type; the list's own position is one level up.
            if (context.ParentInputType?.Nullable is not ListType)
            {
                CheckLeaf(node);
                SkipChildren();
            }
        }

        protected override void Enter(ObjectValueNode node)
        {
            if (context.InputType?.Named is not InputObjectType type)
            {
                CheckLeaf(node);
                SkipChildren();
                return;
            }

            foreach (var field in type.Fields)
            {
                if (field.IsRequired && Find(node, field.Name) is null)
                {
                    context.ReportError($"Field \"{type.Name}.{field.Name}\" of required type \"{field.Type}\" was not provided.", node);
                }
            }

            if (type.IsOneOf)
            {
                CheckOneOf(node, type);
            }
        }

        protected override void Enter(ObjectFieldNode node)
        {
            if (context.InputType is null && context.ParentInputType?.Named is InputObjectType parentType)
            {
                var name = node.Name.Value;
                var suggestions = Suggestions.Closest(name, parentType.Fields.Select(field => field.Name));
                context.ReportError($"Field \"{name}\" is not defined by type \"{parentType.Name}\".{Suggestions.DidYouMean(suggestions)}", node);
            }
        }

        protected override void Enter(NullValueNode node)
        {
            if (context.InputType is NonNullType type)
            {
                context.ReportError($"Expected value of type \"{type}\", found null.", node);
            }
        }

        protected override void Enter(EnumValueNode node) => CheckLeaf(node);

        protected override void Enter(IntValueNode node) => CheckLeaf(node);

        protected override void Enter(FloatValueNode node) => CheckLeaf(node);

        protected override void Enter(StringValueNode node) => CheckLeaf(node);

        protected override void Enter(BooleanValueNode node) => CheckLeaf(node);

        /// <summary>
        /// A value where a scalar or enum is expected is whatever that type's literal parsing accepts; any value is
        /// wrong where a list or input object is expected but something else was written.
        /// </summary>
        private void CheckLeaf(ValueNode node)
        {
            if (context.InputType is not { } locationType)
            {
                return;
            }

            try
            {
                switch (locationType.Named)
                {
                    case EnumType enumType:
                        enumType.ParseLiteral(node);
                        break;
                    case ScalarType scalar:
                        scalar.ParseLiteral(node, null);
                        break;
                    default:
                        context.ReportError($"Expected value of type \"{locationType}\", found {Printer.Print(node)}.", node);
                        break;
                }
            }
            catch (GraphQLException exception)
            {
                context.ReportError(exception.Message, node);
            }
#pragma warning disable CA1031 // A custom scalar's parsing may fail in any way; that makes the literal invalid, not the server.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                context.ReportError($"Expected value of type \"{locationType}\", found {Printer.Print(node)}; {exception.Message}", node);
            }
        }

        private void CheckOneOf(ObjectValueNode node, InputObjectType type)
        {
            var names = node.Fields.Select(field => field.Name.Value).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count != 1)
            {
                context.ReportError($"OneOf Input Object \"{type.Name}\" must specify exactly one key.", node);
            }
            else if (Find(node, names[0]) is NullValueNode)
            {
                context.ReportError($"Field \"{type.Name}.{names[0]}\" must be non-null.", node);
            }
        }

        /// <summary>The value given for a field; the last one when it is given twice, as graphql-js reads it.</summary>
        private static ValueNode? Find(ObjectValueNode node, string name) => node.Fields.LastOrDefault(field => field.Name.Value == name)?.Value;
    }
}
