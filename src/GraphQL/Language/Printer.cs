using System.Text;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

/// <summary>
/// Prints an AST back to GraphQL source exactly as graphql-js 16.15 <c>print</c> does: two-space indentation, one
/// selection per line, field arguments wrapped onto their own lines past 80 characters.
/// </summary>
/// <remarks>
/// The printer writes into one buffer and indents as it goes; text it writes that contains line breaks (block
/// strings, descriptions) is indented with its surroundings, as in graphql-js.
/// </remarks>
public sealed partial class Printer
{
    private const int MaxLineLength = 80;

    private readonly StringBuilder _output = new();
    private int _indentation;

    private Printer()
    {
    }

    public static string Print(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var printer = new Printer();
        printer.Write(node);
        return printer._output.ToString();
    }

    private void Write(Node node)
    {
        switch (node)
        {
            case NameNode name:
                Text(name.Value);
                break;
            case DocumentNode document:
                Join(document.Definitions, "\n\n");
                break;
            case OperationDefinitionNode operation:
                WriteOperation(operation);
                break;
            case VariableDefinitionNode variable:
                WriteVariableDefinition(variable);
                break;
            case SelectionSetNode selectionSet:
                Block("{", selectionSet.Selections, "}");
                break;
            case FieldNode field:
                WriteField(field);
                break;
            case ArgumentNode argument:
                Write(argument.Name);
                Text(": ");
                Write(argument.Value);
                break;
            case FragmentSpreadNode spread:
                Text("...");
                Write(spread.Name);
                Directives(spread.Directives);
                break;
            case InlineFragmentNode inline:
                WriteInlineFragment(inline);
                break;
            case FragmentDefinitionNode fragment:
                WriteFragmentDefinition(fragment);
                break;
            case ValueNode value:
                WriteValue(value);
                break;
            case ObjectFieldNode objectField:
                Write(objectField.Name);
                Text(": ");
                Write(objectField.Value);
                break;
            case DirectiveNode directive:
                Text("@");
                Write(directive.Name);
                Parenthesized(directive.Arguments);
                break;
            case TypeNode type:
                WriteType(type);
                break;
            default:
                WriteTypeSystem(node);
                break;
        }
    }

    private void WriteOperation(OperationDefinitionNode operation)
    {
        var isShorthand = operation is
        {
            Operation: OperationType.Query, Description: null, Name: null,
            VariableDefinitions.Count: 0, Directives.Count: 0,
        };
        if (!isShorthand)
        {
            Description(operation.Description);
            Text(Keyword(operation.Operation));
            if (operation.Name is not null || operation.VariableDefinitions.Count > 0)
            {
                Text(" ");
                if (operation.Name is not null)
                {
                    Write(operation.Name);
                }

                WriteVariableDefinitions(operation.VariableDefinitions);
            }

            Directives(operation.Directives);
            Text(" ");
        }

        Write(operation.SelectionSet);
    }

    /// <summary>Variables go on one line unless one of them spans several; then each on its own, unindented.</summary>
    private void WriteVariableDefinitions(IReadOnlyList<VariableDefinitionNode> variables)
    {
        if (variables.Count == 0)
        {
            return;
        }

        var multiline = variables.Any(SpansLines);
        Text(multiline ? "(\n" : "(");
        Join(variables, multiline ? "\n" : ", ");
        Text(multiline ? "\n)" : ")");
    }

    private void WriteVariableDefinition(VariableDefinitionNode variable)
    {
        Description(variable.Description);
        Write(variable.Variable);
        Text(": ");
        Write(variable.Type);
        if (variable.DefaultValue is not null)
        {
            Text(" = ");
            Write(variable.DefaultValue);
        }

        Directives(variable.Directives);
    }

    /// <summary>Field arguments stay on the field's line unless the line would pass <see cref="MaxLineLength"/>.</summary>
    private void WriteField(FieldNode field)
    {
        var prefixLength = field.Name.Value.Length;
        if (field.Alias is not null)
        {
            Write(field.Alias);
            Text(": ");
            prefixLength += field.Alias.Value.Length + 2;
        }

        Write(field.Name);
        if (field.Arguments.Count > 0)
        {
            var arguments = field.Arguments.Select(argument => Print(argument)).ToList();
            var joinedLength = arguments.Sum(argument => argument.Length) + (2 * (arguments.Count - 1));
            if (prefixLength + joinedLength + 2 > MaxLineLength)
            {
                Block("(", arguments, ")");
            }
            else
            {
                Text("(");
                Text(string.Join(", ", arguments));
                Text(")");
            }
        }

        Directives(field.Directives);
        if (field.SelectionSet is not null)
        {
            Text(" ");
            Write(field.SelectionSet);
        }
    }

    private void WriteInlineFragment(InlineFragmentNode inline)
    {
        Text("...");
        if (inline.TypeCondition is not null)
        {
            Text(" on ");
            Write(inline.TypeCondition);
        }

        Directives(inline.Directives);
        Text(" ");
        Write(inline.SelectionSet);
    }

    private void WriteFragmentDefinition(FragmentDefinitionNode fragment)
    {
        Description(fragment.Description);
        Text("fragment ");
        Write(fragment.Name);
        Text(" on ");
        Write(fragment.TypeCondition);
        Directives(fragment.Directives);
        Text(" ");
        Write(fragment.SelectionSet);
    }

    private void WriteValue(ValueNode value)
    {
        switch (value)
        {
            case VariableNode variable:
                Text("$");
                Write(variable.Name);
                break;
            case IntValueNode integer:
                Text(integer.Value);
                break;
            case FloatValueNode number:
                Text(number.Value);
                break;
            case StringValueNode text:
                Text(text.Block ? StringPrinter.Block(text.Value) : StringPrinter.Quote(text.Value));
                break;
            case BooleanValueNode boolean:
                Text(boolean.Value ? "true" : "false");
                break;
            case NullValueNode:
                Text("null");
                break;
            case EnumValueNode enumValue:
                Text(enumValue.Value);
                break;
            case ListValueNode list:
                Text("[");
                Join(list.Values, ", ");
                Text("]");
                break;
            case ObjectValueNode objectValue:
                Text("{");
                Join(objectValue.Fields, ", ");
                Text("}");
                break;
        }
    }

    private void WriteType(TypeNode type)
    {
        switch (type)
        {
            case NamedTypeNode named:
                Write(named.Name);
                break;
            case ListTypeNode list:
                Text("[");
                Write(list.Type);
                Text("]");
                break;
            case NonNullTypeNode nonNull:
                Write(nonNull.Type);
                Text("!");
                break;
        }
    }

    private static string Keyword(OperationType operation) => operation switch
    {
        OperationType.Query => "query",
        OperationType.Mutation => "mutation",
        _ => "subscription",
    };

    /// <summary>Whether a node prints on several lines (descriptions and multi-line block strings do).</summary>
    private static bool SpansLines(Node node) => Print(node).Contains('\n', StringComparison.Ordinal);

    private void Description(StringValueNode? description)
    {
        if (description is not null)
        {
            Write(description);
            Text("\n");
        }
    }

    private void Directives(IReadOnlyList<DirectiveNode> directives)
    {
        if (directives.Count > 0)
        {
            Text(" ");
            Join(directives, " ");
        }
    }

    /// <summary><c>(a, b)</c>, or nothing when there are no items.</summary>
    private void Parenthesized(IReadOnlyList<Node> items)
    {
        if (items.Count > 0)
        {
            Text("(");
            Join(items, ", ");
            Text(")");
        }
    }

    private void Join(IEnumerable<Node> nodes, string separator)
    {
        var first = true;
        foreach (var node in nodes)
        {
            if (!first)
            {
                Text(separator);
            }

            first = false;
            Write(node);
        }
    }

    /// <summary><paramref name="open"/>, then each item on its own line one level deeper, then <paramref name="close"/> on its own line.</summary>
    private void Block(string open, IEnumerable<Node> items, string close) => Block(open, items.Select(item => (Action)(() => Write(item))), close);

    private void Block(string open, IEnumerable<string> items, string close) => Block(open, items.Select(item => (Action)(() => Text(item))), close);

    private void Block(string open, IEnumerable<Action> writeItems, string close)
    {
        Text(open);
        _indentation++;
        foreach (var writeItem in writeItems)
        {
            NewLine();
            writeItem();
        }

        _indentation--;
        NewLine();
        Text(close);
    }

    private void NewLine() => _output.Append('\n').Append(' ', 2 * _indentation);

    /// <summary>Appends <paramref name="text"/>, indenting whatever follows each of its line breaks.</summary>
    private void Text(string text)
    {
        var start = 0;
        int lineBreak;
        while ((lineBreak = text.IndexOf('\n', start)) >= 0)
        {
            _output.Append(text, start, lineBreak - start);
            NewLine();
            start = lineBreak + 1;
        }

        _output.Append(text, start, text.Length - start);
    }
}
