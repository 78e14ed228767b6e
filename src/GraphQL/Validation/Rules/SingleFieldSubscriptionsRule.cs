using System.Runtime.CompilerServices;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Single Root Field (spec 5.2.3.1): a subscription selects exactly one root field, and not an introspection
/// field. The root fields are collected as execution would with no variables (spec CollectFields), so fragments
/// and <c>@skip</c>/<c>@include</c> with literal conditions count.
/// </summary>
public sealed class SingleFieldSubscriptionsRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(OperationDefinitionNode node)
        {
            if (node.Operation != OperationType.Subscription || context.Schema.SubscriptionType is not { } subscriptionType)
            {
                return;
            }

            context.SpendFragmentWork(context.Document.Definitions.Count);
            var collector = new RootFieldCollector(context, subscriptionType);
            collector.Collect(node.SelectionSet);
            var fields = collector.Fields;
            var subject = node.Name is { } name ? $"Subscription \"{name.Value}\"" : "Anonymous Subscription";
            if (fields.Count > 1)
            {
                context.ReportError($"{subject} must select only one top level field.", [.. fields.Values.Skip(1).SelectMany(nodes => nodes)]);
            }

            foreach (var nodes in fields.Values)
            {
                if (nodes[0].Name.Value.StartsWith("__", StringComparison.Ordinal))
                {
                    context.ReportError($"{subject} must not select an introspection top level field.", [.. nodes]);
                }
            }
        }
    }

    /// <summary>The root fields of a subscription by response key, in order, as graphql-js collects them for this rule.</summary>
    private sealed class RootFieldCollector(ValidationContext context, ObjectType rootType)
    {
        private readonly HashSet<string> _visitedFragments = new(StringComparer.Ordinal);

        public Dictionary<string, List<FieldNode>> Fields { get; } = new(StringComparer.Ordinal);

        public void Collect(SelectionSetNode selectionSet)
        {
            // Fragments spreading fragments nest the collection; a chain longer than the stack allows is refused.
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                context.Abort();
            }

            SpendWork(selectionSet);
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case FieldNode field when IsIncluded(field):
                        if (!Fields.TryGetValue(field.ResponseKey, out var nodes))
                        {
                            Fields[field.ResponseKey] = nodes = [];
                        }

                        nodes.Add(field);
                        break;
                    case InlineFragmentNode inline when IsIncluded(inline) && Matches(inline.TypeCondition):
                        Collect(inline.SelectionSet);
                        break;
                    case FragmentSpreadNode spread when !_visitedFragments.Contains(spread.Name.Value) && IsIncluded(spread):
                        _visitedFragments.Add(spread.Name.Value);
                        if (context.GetFragment(spread.Name.Value) is { } fragment && Matches(fragment.TypeCondition))
                        {
                            Collect(fragment.SelectionSet);
                        }

                        break;
                }
            }
        }

        /// <summary>Charges what graphql-js charges for looking at a selection set and its conditions.</summary>
        private void SpendWork(SelectionSetNode selectionSet)
        {
            context.SpendFragmentWork(selectionSet.Selections.Count);
            foreach (var selection in selectionSet.Selections)
            {
                context.SpendFragmentWork(selection.Directives.Count);
                foreach (var directive in selection.Directives)
                {
                    if (directive.Name.Value is "skip" or "include")
                    {
                        context.SpendFragmentWork(directive.Arguments.Count);
                    }
                }
            }
        }

        private bool Matches(NamedTypeNode? typeCondition)
        {
            if (typeCondition is null)
            {
                return true;
            }

            var type = context.Schema.GetType(typeCondition.Name.Value);
            return ReferenceEquals(type, rootType) || (type is { IsAbstractType: true } && context.Schema.IsSubType(type, rootType));
        }

        private bool IsIncluded(SelectionNode selection) =>
            Condition(selection, "skip") != true && Condition(selection, "include") != false;

        /// <summary>
        /// The <c>if</c> of the node's first @skip or @include; null without one. A condition that cannot be known
        /// without variables, or is invalid, makes graphql-js's validation throw its error; it is reported and ends
        /// validation here.
        /// </summary>
        private bool? Condition(SelectionNode selection, string directiveName)
        {
            var directive = selection.Directives.FirstOrDefault(candidate => candidate.Name.Value == directiveName);
            if (directive is null)
            {
                return null;
            }

            const string type = "Boolean!";
            switch (directive.Arguments.LastOrDefault(argument => argument.Name.Value == "if")?.Value)
            {
                case null:
                    Fail($"Argument \"if\" of required type \"{type}\" was not provided.", directive);
                    break;
                case VariableNode variable:
                    Fail($"Argument \"if\" of required type \"{type}\" was provided the variable \"${variable.Name.Value}\" which was not provided a runtime value.", variable);
                    break;
                case NullValueNode value:
                    Fail($"Argument \"if\" of non-null type \"{type}\" must not be null.", value);
                    break;
                case BooleanValueNode value:
                    return value.Value;
                case var value:
                    Fail($"Argument \"if\" has invalid value {Printer.Print(value)}.", value);
                    break;
            }

            return null;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string message, Node node)
        {
            context.ReportError(message, node);
            throw new ValidationAbortedException();
        }
    }
}
