using System.Text;
using MusicSearch.GraphQL.Language;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// Prints a schema as SDL exactly as graphql-js 16.15 <c>printSchema</c> does, so that graphql-js's
/// <c>buildSchema</c> reads it and prints the same text back. Built-in scalars, specified directives and
/// introspection types are left out.
/// </summary>
public static class SchemaPrinter
{
    public static string Print(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var parts = new List<string>();
        if (SchemaDefinition(schema) is { } definition)
        {
            parts.Add(definition);
        }

        parts.AddRange(schema.Directives.Where(directive => !directive.IsSpecified).Select(Directive));
        parts.AddRange(schema.Types.Where(IsPrinted).Select(Type));
        return string.Join("\n\n", parts);
    }

    /// <summary>One type's definition in SDL.</summary>
    public static string Type(NamedType type) => type switch
    {
        ScalarType scalar => Description(scalar.Description) + "scalar " + scalar.Name + SpecifiedBy(scalar),
        ObjectType objectType => Description(objectType.Description) + "type " + objectType.Name + Implements(objectType) + Fields(objectType),
        InterfaceType interfaceType => Description(interfaceType.Description) + "interface " + interfaceType.Name + Implements(interfaceType) + Fields(interfaceType),
        UnionType union => Description(union.Description) + "union " + union.Name + (union.Types.Count > 0 ? " = " + string.Join(" | ", union.Types) : ""),
        EnumType enumType => Description(enumType.Description) + "enum " + enumType.Name + Block(enumType.Values.Select((value, i) =>
            Description(value.Description, "  ", i == 0) + "  " + value.Name + Deprecated(value.DeprecationReason))),
        InputObjectType input => Description(input.Description) + "input " + input.Name + (input.IsOneOf ? " @oneOf" : "") + Block(input.Fields.Select((field, i) =>
            Description(field.Description, "  ", i == 0) + "  " + InputValue(field))),
        _ => throw new ArgumentException($"Cannot print {type.Name}.", nameof(type)),
    };

    private static bool IsPrinted(NamedType type) =>
        !type.Name.StartsWith("__", StringComparison.Ordinal) && !(type is ScalarType scalar && scalar.IsSpecified);

    /// <summary>Written only when it says something: a description, or root types not named Query, Mutation, Subscription.</summary>
    private static string? SchemaDefinition(Schema schema)
    {
        var commonNames = schema.QueryType.Name == "Query" && schema.MutationType?.Name is null or "Mutation" &&
            schema.SubscriptionType?.Name is null or "Subscription";
        if (schema.Description is null && commonNames)
        {
            return null;
        }

        var operations = new List<string> { $"  query: {schema.QueryType.Name}" };
        if (schema.MutationType is not null)
        {
            operations.Add($"  mutation: {schema.MutationType.Name}");
        }

        if (schema.SubscriptionType is not null)
        {
            operations.Add($"  subscription: {schema.SubscriptionType.Name}");
        }

        return Description(schema.Description) + "schema {\n" + string.Join("\n", operations) + "\n}";
    }

    /// <summary>One directive's definition in SDL.</summary>
    public static string Directive(DirectiveDefinition directive) =>
        Description(directive.Description) + "directive @" + directive.Name + Arguments(directive.Arguments) +
        (directive.IsRepeatable ? " repeatable" : "") + " on " + string.Join(" | ", directive.Locations);

    private static string Implements(FieldsType type) =>
        type.Interfaces.Count > 0 ? " implements " + string.Join(" & ", type.Interfaces.Select(implemented => implemented.Name)) : "";

    private static string Fields(FieldsType type) => Block(type.Fields.Select((field, i) =>
        Description(field.Description, "  ", i == 0) + "  " + field.Name + Arguments(field.Arguments, "  ") + ": " + field.Type +
        Deprecated(field.DeprecationReason)));

    private static string Block(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count > 0 ? " {\n" + string.Join("\n", list) + "\n}" : "";
    }

    /// <summary>Arguments on one line, unless one has a description: then one per line, each under its description.</summary>
    private static string Arguments(IReadOnlyList<InputValueDefinition> arguments, string indentation = "")
    {
        if (arguments.Count == 0)
        {
            return "";
        }

        if (arguments.All(argument => string.IsNullOrEmpty(argument.Description)))
        {
            return "(" + string.Join(", ", arguments.Select(InputValue)) + ")";
        }

        var lines = arguments.Select((argument, i) =>
            Description(argument.Description, "  " + indentation, i == 0) + "  " + indentation + InputValue(argument));
        return "(\n" + string.Join("\n", lines) + "\n" + indentation + ")";
    }

    private static string InputValue(InputValueDefinition value)
    {
        var text = new StringBuilder(value.Name).Append(": ").Append(value.Type);
        if (value.DefaultLiteral is not null)
        {
            text.Append(" = ").Append(Printer.Print(value.DefaultLiteral));
        }

        return text.Append(Deprecated(value.DeprecationReason)).ToString();
    }

    private static string Deprecated(string? reason) => reason switch
    {
        null => "",
        SpecifiedDirectives.DefaultDeprecationReason => " @deprecated",
        _ => $" @deprecated(reason: {StringPrinter.Quote(reason)})",
    };

    private static string SpecifiedBy(ScalarType scalar) =>
        scalar.SpecifiedByUrl is null ? "" : $" @specifiedBy(url: {StringPrinter.Quote(scalar.SpecifiedByUrl)})";

    /// <summary>A description above its definition; inside a block, any but the first is preceded by an empty line.</summary>
    private static string Description(string? description, string indentation = "", bool firstInBlock = true)
    {
        if (description is null)
        {
            return "";
        }

        var printed = StringPrinter.IsPrintableAsBlock(description) ? StringPrinter.Block(description) : StringPrinter.Quote(description);
        var prefix = indentation.Length > 0 && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + printed.Replace("\n", "\n" + indentation, StringComparison.Ordinal) + "\n";
    }
}
