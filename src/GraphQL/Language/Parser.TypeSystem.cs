using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

public sealed partial class Parser
{
    private TypeSystemDefinitionNode ParseTypeSystemDefinition(string keyword) => keyword switch
    {
        "schema" => ParseSchemaDefinition(),
        "scalar" => ParseScalarTypeDefinition(isExtension: false),
        "type" => ParseObjectTypeDefinition(isInterface: false, isExtension: false),
        "interface" => ParseObjectTypeDefinition(isInterface: true, isExtension: false),
        "union" => ParseUnionTypeDefinition(isExtension: false),
        "enum" => ParseEnumTypeDefinition(isExtension: false),
        "input" => ParseInputObjectTypeDefinition(isExtension: false),
        _ => ParseDirectiveDefinition(),
    };

    /// <summary>TypeSystemExtension :: extend (schema | scalar | type | interface | union | enum | input) ...</summary>
    private TypeSystemDefinitionNode ParseTypeSystemExtension()
    {
        var keyword = _lexer.Lookahead();
        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema":
                    return ParseSchemaExtension();
                case "scalar":
                    return ParseScalarTypeDefinition(isExtension: true);
                case "type":
                    return ParseObjectTypeDefinition(isInterface: false, isExtension: true);
                case "interface":
                    return ParseObjectTypeDefinition(isInterface: true, isExtension: true);
                case "union":
                    return ParseUnionTypeDefinition(isExtension: true);
                case "enum":
                    return ParseEnumTypeDefinition(isExtension: true);
                case "input":
                    return ParseInputObjectTypeDefinition(isExtension: true);
            }
        }

        throw Unexpected(keyword);
    }

    private SchemaDefinitionNode ParseSchemaDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("schema");
        var directives = ParseDirectives(isConst: true);
        var operationTypes = OneOrMore(TokenKind.BraceLeft, ParseOperationTypeDefinition, TokenKind.BraceRight);
        return new SchemaDefinitionNode(description, directives, operationTypes) { Location = LocationFrom(start) };
    }

    private SchemaDefinitionNode ParseSchemaExtension()
    {
        var start = Current;
        ExpectKeyword("extend");
        ExpectKeyword("schema");
        var directives = ParseDirectives(isConst: true);
        var operationTypes = OptionalOneOrMore(TokenKind.BraceLeft, ParseOperationTypeDefinition, TokenKind.BraceRight);
        RequireSomething(directives.Count + operationTypes.Count);
        return new SchemaDefinitionNode(null, directives, operationTypes, IsExtension: true) { Location = LocationFrom(start) };
    }

    private OperationTypeDefinitionNode ParseOperationTypeDefinition()
    {
        var start = Current;
        var operation = ParseOperationType();
        ExpectToken(TokenKind.Colon);
        var type = ParseNamedType();
        return new OperationTypeDefinitionNode(operation, type) { Location = LocationFrom(start) };
    }

    private ScalarTypeDefinitionNode ParseScalarTypeDefinition(bool isExtension)
    {
        var start = Current;
        var description = ParseDefinitionStart("scalar", isExtension);
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        if (isExtension)
        {
            RequireSomething(directives.Count);
        }

        return new ScalarTypeDefinitionNode(description, name, directives, isExtension) { Location = LocationFrom(start) };
    }

    private ObjectTypeDefinitionNode ParseObjectTypeDefinition(bool isInterface, bool isExtension)
    {
        var start = Current;
        var description = ParseDefinitionStart(isInterface ? "interface" : "type", isExtension);
        var name = ParseName();
        IReadOnlyList<NamedTypeNode> interfaces = ExpectOptionalKeyword("implements") ? Delimited(TokenKind.Amp, ParseNamedType) : Array.Empty<NamedTypeNode>();
        var directives = ParseDirectives(isConst: true);
        var fields = OptionalOneOrMore(TokenKind.BraceLeft, ParseFieldDefinition, TokenKind.BraceRight);
        if (isExtension)
        {
            RequireSomething(interfaces.Count + directives.Count + fields.Count);
        }

        return new ObjectTypeDefinitionNode(description, name, interfaces, directives, fields, isInterface, isExtension)
        {
            Location = LocationFrom(start),
        };
    }

    private FieldDefinitionNode ParseFieldDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        var name = ParseName();
        var arguments = OptionalOneOrMore(TokenKind.ParenLeft, ParseInputValueDefinition, TokenKind.ParenRight);
        ExpectToken(TokenKind.Colon);
        var type = ParseTypeReference();
        var directives = ParseDirectives(isConst: true);
        return new FieldDefinitionNode(description, name, arguments, type, directives) { Location = LocationFrom(start) };
    }

    private InputValueDefinitionNode ParseInputValueDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptionalToken(TokenKind.Equals) ? ParseValueLiteral(isConst: true) : null;
        var directives = ParseDirectives(isConst: true);
        return new InputValueDefinitionNode(description, name, type, defaultValue, directives) { Location = LocationFrom(start) };
    }

    private UnionTypeDefinitionNode ParseUnionTypeDefinition(bool isExtension)
    {
        var start = Current;
        var description = ParseDefinitionStart("union", isExtension);
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        IReadOnlyList<NamedTypeNode> types = ExpectOptionalToken(TokenKind.Equals) ? Delimited(TokenKind.Pipe, ParseNamedType) : Array.Empty<NamedTypeNode>();
        if (isExtension)
        {
            RequireSomething(directives.Count + types.Count);
        }

        return new UnionTypeDefinitionNode(description, name, directives, types, isExtension) { Location = LocationFrom(start) };
    }

    private EnumTypeDefinitionNode ParseEnumTypeDefinition(bool isExtension)
    {
        var start = Current;
        var description = ParseDefinitionStart("enum", isExtension);
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var values = OptionalOneOrMore(TokenKind.BraceLeft, ParseEnumValueDefinition, TokenKind.BraceRight);
        if (isExtension)
        {
            RequireSomething(directives.Count + values.Count);
        }

        return new EnumTypeDefinitionNode(description, name, directives, values, isExtension) { Location = LocationFrom(start) };
    }

    private EnumValueDefinitionNode ParseEnumValueDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        if (Current.Value is "true" or "false" or "null")
        {
            throw Error(Current, $"{TokenDescriptions.Describe(Current)} is reserved and cannot be used for an enum value.");
        }

        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new EnumValueDefinitionNode(description, name, directives) { Location = LocationFrom(start) };
    }

    private InputObjectTypeDefinitionNode ParseInputObjectTypeDefinition(bool isExtension)
    {
        var start = Current;
        var description = ParseDefinitionStart("input", isExtension);
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var fields = OptionalOneOrMore(TokenKind.BraceLeft, ParseInputValueDefinition, TokenKind.BraceRight);
        if (isExtension)
        {
            RequireSomething(directives.Count + fields.Count);
        }

        return new InputObjectTypeDefinitionNode(description, name, directives, fields, isExtension) { Location = LocationFrom(start) };
    }

    /// <summary>DirectiveDefinition :: Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations</summary>
    private DirectiveDefinitionNode ParseDirectiveDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("directive");
        ExpectToken(TokenKind.At);
        var name = ParseName();
        var arguments = OptionalOneOrMore(TokenKind.ParenLeft, ParseInputValueDefinition, TokenKind.ParenRight);
        var repeatable = ExpectOptionalKeyword("repeatable");
        ExpectKeyword("on");
        var locations = Delimited(TokenKind.Pipe, ParseDirectiveLocation);
        return new DirectiveDefinitionNode(description, name, arguments, repeatable, locations) { Location = LocationFrom(start) };
    }

    private NameNode ParseDirectiveLocation()
    {
        var start = Current;
        var name = ParseName();
        return Enum.TryParse<DirectiveLocation>(name.Value, out _) && name.Value.All(c => c is '_' or (>= 'A' and <= 'Z'))
            ? name
            : throw Unexpected(start);
    }

    /// <summary>Reads the description of a definition, or <c>extend</c> of an extension, and then its keyword.</summary>
    private StringValueNode? ParseDefinitionStart(string keyword, bool isExtension)
    {
        StringValueNode? description = null;
        if (isExtension)
        {
            ExpectKeyword("extend");
        }
        else
        {
            description = ParseDescription();
        }

        ExpectKeyword(keyword);
        return description;
    }

    /// <summary>An extension must add something; graphql-js then reports the token where it ended.</summary>
    private void RequireSomething(int additions)
    {
        if (additions == 0)
        {
            throw Unexpected();
        }
    }
}
