using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Spec 6.3.2 CollectFields: flattens a selection set for one object type, honouring <c>@skip</c> and
/// <c>@include</c>, expanding each fragment at most once and only where its type condition applies.
/// </summary>
internal static class FieldCollector
{
    public static CollectedFields Collect(OperationContext operation, ObjectType type, SelectionSetNode selectionSet)
    {
        var fields = new CollectedFields();
        Collect(operation, type, selectionSet, fields, new HashSet<string>(StringComparer.Ordinal));
        return fields;
    }

    /// <summary>The sub-fields of a field whose value has type <paramref name="type"/>: its nodes' selection sets merged.</summary>
    public static CollectedFields CollectSubfields(OperationContext operation, ObjectType type, IReadOnlyList<FieldNode> fieldNodes)
    {
        var fields = new CollectedFields();
        var visitedFragments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in fieldNodes)
        {
            if (node.SelectionSet is not null)
            {
                Collect(operation, type, node.SelectionSet, fields, visitedFragments);
            }
        }

        return fields;
    }

    private static void Collect(OperationContext operation, ObjectType type, SelectionSetNode selectionSet, CollectedFields fields,
        HashSet<string> visitedFragments)
    {
        foreach (var selection in selectionSet.Selections)
        {
            if (!ShouldInclude(operation, selection))
            {
                continue;
            }

            switch (selection)
            {
                case FieldNode field:
                    fields.Add(field);
                    break;
                case InlineFragmentNode inline when AppliesTo(operation.Schema, inline.TypeCondition, type):
                    Collect(operation, type, inline.SelectionSet, fields, visitedFragments);
                    break;
                case FragmentSpreadNode spread when visitedFragments.Add(spread.Name.Value):
                    if (operation.Fragments.GetValueOrDefault(spread.Name.Value) is { } fragment &&
                        AppliesTo(operation.Schema, fragment.TypeCondition, type))
                    {
                        Collect(operation, type, fragment.SelectionSet, fields, visitedFragments);
                    }

                    break;
            }
        }
    }

    /// <summary>False when <c>@skip(if: true)</c> or <c>@include(if: false)</c> applies.</summary>
    private static bool ShouldInclude(OperationContext operation, SelectionNode selection)
    {
        if (selection.Directives.Count == 0)
        {
            return true;
        }

        return !(DirectiveCondition(operation, selection, SpecifiedDirectives.Skip) is true) &&
            DirectiveCondition(operation, selection, SpecifiedDirectives.Include) is not false;
    }

    private static bool? DirectiveCondition(OperationContext operation, SelectionNode selection, DirectiveDefinition directive)
    {
        var node = selection.Directives.FirstOrDefault(candidate => candidate.Name.Value == directive.Name);
        return node is null ? null : ArgumentCoercion.Coerce(directive.Arguments, node, node.Arguments, operation.Variables)["if"] as bool?;
    }

    private static bool AppliesTo(Schema schema, NamedTypeNode? typeCondition, ObjectType type)
    {
        if (typeCondition is null)
        {
            return true;
        }

        var conditionType = TypeInfo.TypeFromAst(schema, typeCondition);
        return ReferenceEquals(conditionType, type) || (conditionType is NamedType { IsAbstractType: true } abstractType && schema.IsSubType(abstractType, type));
    }
}
