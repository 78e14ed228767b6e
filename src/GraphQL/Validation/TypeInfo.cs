using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation;

/// <summary>
/// Tracks, while a document is walked, the schema types around the current node (graphql-js TypeInfo): the output
/// type and the composite parent type of selections, the field and directive definitions, the input type and
/// argument of values. <see cref="Enter"/> before the rules see a node, <see cref="Leave"/> after.
/// </summary>
public sealed class TypeInfo(Schema schema)
{
    private readonly List<GraphQLType?> _types = [];
    private readonly List<NamedType?> _parentTypes = [];
    private readonly List<GraphQLType?> _inputTypes = [];
    private readonly List<FieldDefinition?> _fields = [];
    private readonly List<InputValueDefinition?> _defaultValueOwners = [];

    public Schema Schema { get; } = schema ?? throw new ArgumentNullException(nameof(schema));

    /// <summary>The output type of the current selection (field, fragment, operation); null where unknown.</summary>
    public GraphQLType? Type => Top(_types);

    /// <summary>The composite type whose fields the current selection set selects.</summary>
    public NamedType? ParentType => Top(_parentTypes);

    /// <summary>The input type expected for the current value (argument, list item, object field, variable definition).</summary>
    public GraphQLType? InputType => Top(_inputTypes);

    /// <summary>The input type around the current one: the list of a list item, the input object of a field.</summary>
    public GraphQLType? ParentInputType => _inputTypes.Count > 1 ? _inputTypes[^2] : null;

    public FieldDefinition? FieldDefinition => Top(_fields);

    /// <summary>The argument or input field whose value is being walked, when it has a default value.</summary>
    public InputValueDefinition? DefaultValueOwner => Top(_defaultValueOwners);

    public DirectiveDefinition? Directive { get; private set; }

    public InputValueDefinition? Argument { get; private set; }

    public EnumValueDefinition? EnumValue { get; private set; }

    public void Enter(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case SelectionSetNode:
                _parentTypes.Add(Type?.Named is { IsCompositeType: true } composite ? composite : null);
                break;
            case FieldNode field:
                var definition = ParentType is { } parent ? Schema.GetFieldDefinition(parent, field.Name.Value) : null;
                _fields.Add(definition);
                _types.Add(definition?.Type is { IsOutputType: true } fieldType ? fieldType : null);
                break;
            case DirectiveNode directive:
                Directive = Schema.GetDirective(directive.Name.Value);
                break;
            case OperationDefinitionNode operation:
                _types.Add(Schema.GetRootType(operation.Operation));
                break;
            case InlineFragmentNode inline:
                EnterFragment(inline.TypeCondition);
                break;
            case FragmentDefinitionNode fragment:
                EnterFragment(fragment.TypeCondition);
                break;
            case VariableDefinitionNode variable:
                _inputTypes.Add(TypeFromAst(Schema, variable.Type) is { IsInputType: true } variableType ? variableType : null);
                break;
            case ArgumentNode argument:
                var argumentDefinition = Directive is { } directiveDefinition
                    ? directiveDefinition.GetArgument(argument.Name.Value)
                    : FieldDefinition?.GetArgument(argument.Name.Value);
                Argument = argumentDefinition;
                _defaultValueOwners.Add(argumentDefinition is { HasDefaultValue: true } ? argumentDefinition : null);
                _inputTypes.Add(argumentDefinition?.Type is { IsInputType: true } argumentType ? argumentType : null);
                break;
            case ListValueNode:
                var listType = InputType?.Nullable;
                var itemType = listType is ListType list ? list.OfType : listType;
                _defaultValueOwners.Add(null);
                _inputTypes.Add(itemType is { IsInputType: true } ? itemType : null);
                break;
            case ObjectFieldNode objectField:
                var inputField = (InputType?.Named as InputObjectType)?.GetField(objectField.Name.Value);
                _defaultValueOwners.Add(inputField is { HasDefaultValue: true } ? inputField : null);
                _inputTypes.Add(inputField?.Type is { IsInputType: true } inputFieldType ? inputFieldType : null);
                break;
            case EnumValueNode enumValue:
                EnumValue = (InputType?.Named as EnumType)?.GetValue(enumValue.Value);
                break;
        }
    }

    public void Leave(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case SelectionSetNode:
                Pop(_parentTypes);
                break;
            case FieldNode:
                Pop(_fields);
                Pop(_types);
                break;
            case DirectiveNode:
                Directive = null;
                break;
            case OperationDefinitionNode or InlineFragmentNode or FragmentDefinitionNode:
                Pop(_types);
                break;
            case VariableDefinitionNode:
                Pop(_inputTypes);
                break;
            case ArgumentNode:
                Argument = null;
                Pop(_defaultValueOwners);
                Pop(_inputTypes);
                break;
            case ListValueNode or ObjectFieldNode:
                Pop(_defaultValueOwners);
                Pop(_inputTypes);
                break;
            case EnumValueNode:
                EnumValue = null;
                break;
        }
    }

    /// <summary>The schema type a type reference names; null when the named type does not exist.</summary>
    public static GraphQLType? TypeFromAst(Schema schema, TypeNode typeNode)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return typeNode switch
        {
            NamedTypeNode named => schema.GetType(named.Name.Value),
            ListTypeNode list => TypeFromAst(schema, list.Type) is { } item ? new ListType(item) : null,
            NonNullTypeNode nonNull => TypeFromAst(schema, nonNull.Type) is { } inner ? new NonNullType(inner) : null,
            _ => throw new ArgumentOutOfRangeException(nameof(typeNode)),
        };
    }

    /// <summary>A fragment's type: its type condition, or for an inline fragment without one, the enclosing type.</summary>
    private void EnterFragment(NamedTypeNode? typeCondition)
    {
        var type = typeCondition is null ? Type?.Named : TypeFromAst(Schema, typeCondition);
        _types.Add(type is { IsOutputType: true } ? type : null);
    }

    private static T? Top<T>(List<T?> stack)
        where T : class => stack.Count > 0 ? stack[^1] : null;

    private static void Pop<T>(List<T> stack) => stack.RemoveAt(stack.Count - 1);
}
