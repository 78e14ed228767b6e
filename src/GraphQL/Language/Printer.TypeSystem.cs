using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

public sealed partial class Printer
{
    private void WriteTypeSystem(Node node)
    {
        switch (node)
        {
            case SchemaDefinitionNode schema:
                Description(schema.Description);
                Text(schema.IsExtension ? "extend schema" : "schema");
                Directives(schema.Directives);
                Members(schema.OperationTypes);
                break;
            case OperationTypeDefinitionNode operationType:
                Text(Keyword(operationType.Operation));
                Text(": ");
                Write(operationType.Type);
                break;
            case ScalarTypeDefinitionNode scalar:
                TypeHeader(scalar, "scalar", scalar.Description);
                break;
            case ObjectTypeDefinitionNode objectType:
                TypeHeader(objectType, objectType.IsInterface ? "interface" : "type", objectType.Description, objectType.Interfaces);
                Members(objectType.Fields);
                break;
            case FieldDefinitionNode field:
                Description(field.Description);
                Write(field.Name);
                ArgumentDefinitions(field.Arguments);
                Text(": ");
                Write(field.Type);
                Directives(field.Directives);
                break;
            case InputValueDefinitionNode inputValue:
                Description(inputValue.Description);
                Write(inputValue.Name);
                Text(": ");
                Write(inputValue.Type);
                if (inputValue.DefaultValue is not null)
                {
                    Text(" = ");
                    Write(inputValue.DefaultValue);
                }

                Directives(inputValue.Directives);
                break;
            case UnionTypeDefinitionNode union:
                TypeHeader(union, "union", union.Description);
                if (union.Types.Count > 0)
                {
                    Text(" = ");
                    Join(union.Types, " | ");
                }

                break;
            case EnumTypeDefinitionNode enumType:
                TypeHeader(enumType, "enum", enumType.Description);
                Members(enumType.Values);
                break;
            case EnumValueDefinitionNode enumValue:
                Description(enumValue.Description);
                Write(enumValue.Name);
                Directives(enumValue.Directives);
                break;
            case InputObjectTypeDefinitionNode inputObject:
                TypeHeader(inputObject, "input", inputObject.Description);
                Members(inputObject.Fields);
                break;
            case DirectiveDefinitionNode directive:
                Description(directive.Description);
                Text("directive @");
                Write(directive.Name);
                ArgumentDefinitions(directive.Arguments);
                Text(directive.Repeatable ? " repeatable on " : " on ");
                Join(directive.Locations, " | ");
                break;
            default:
                throw new ArgumentException($"Cannot print a {node.Kind} node.", nameof(node));
        }
    }

    /// <summary><c>Description? extend? keyword Name implements A &amp; B @directives</c></summary>
    private void TypeHeader(TypeDefinitionNode type, string keyword, StringValueNode? description,
        IReadOnlyList<NamedTypeNode>? interfaces = null)
    {
        Description(description);
        Text(type.IsExtension ? "extend " + keyword + " " : keyword + " ");
        Write(type.Name);
        if (interfaces is { Count: > 0 })
        {
            Text(" implements ");
            Join(interfaces, " & ");
        }

        Directives(type.Directives);
    }

    /// <summary><c> { members }</c>, or nothing for no members.</summary>
    private void Members(IReadOnlyList<Node> members)
    {
        if (members.Count > 0)
        {
            Text(" ");
            Block("{", members, "}");
        }
    }

    /// <summary>Argument definitions on one line, or one per indented line when any spans several lines.</summary>
    private void ArgumentDefinitions(IReadOnlyList<InputValueDefinitionNode> arguments)
    {
        if (arguments.Any(SpansLines))
        {
            Block("(", arguments, ")");
        }
        else
        {
            Parenthesized(arguments);
        }
    }
}
