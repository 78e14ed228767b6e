using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Language;

public sealed partial class Parser
{
    /// <summary>Value[Const] :: Variable (unless const) | Int | Float | String | Boolean | Null | Enum | List | Object</summary>
    private ValueNode ParseValueLiteral(bool isConst)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.BracketLeft:
                return ParseList(isConst);
            case TokenKind.BraceLeft:
                return ParseObject(isConst);
            case TokenKind.IntValue:
                Advance();
                return new IntValueNode(token.Value!) { Location = LocationFrom(token) };
            case TokenKind.FloatValue:
                Advance();
                return new FloatValueNode(token.Value!) { Location = LocationFrom(token) };
            case TokenKind.StringValue or TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Advance();
                ValueNode named = token.Value switch
                {
                    "true" => new BooleanValueNode(true),
                    "false" => new BooleanValueNode(false),
                    "null" => new NullValueNode(),
                    _ => new EnumValueNode(token.Value!),
                };
                return named with { Location = LocationFrom(token) };
            case TokenKind.Dollar when isConst:
                Advance();
                throw Current.Kind == TokenKind.Name
                    ? Error(token, $"Unexpected variable \"${Current.Value}\" in constant value.")
                    : Unexpected(token);
            case TokenKind.Dollar:
                return ParseVariable();
            default:
                throw Unexpected();
        }
    }

    private StringValueNode ParseStringLiteral()
    {
        var token = Current;
        Advance();
        return new StringValueNode(token.Value!, token.Kind == TokenKind.BlockString) { Location = LocationFrom(token) };
    }

    private VariableNode ParseVariable()
    {
        var start = Current;
        ExpectToken(TokenKind.Dollar);
        var name = ParseName();
        return new VariableNode(name) { Location = LocationFrom(start) };
    }

    private ListValueNode ParseList(bool isConst)
    {
        using var level = Nest();
        var start = Current;
        var values = ZeroOrMore(TokenKind.BracketLeft, () => ParseValueLiteral(isConst), TokenKind.BracketRight);
        return new ListValueNode(values) { Location = LocationFrom(start) };
    }

    private ObjectValueNode ParseObject(bool isConst)
    {
        using var level = Nest();
        var start = Current;
        var fields = ZeroOrMore(TokenKind.BraceLeft, () => ParseObjectField(isConst), TokenKind.BraceRight);
        return new ObjectValueNode(fields) { Location = LocationFrom(start) };
    }

    private ObjectFieldNode ParseObjectField(bool isConst)
    {
        var start = Current;
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        var value = ParseValueLiteral(isConst);
        return new ObjectFieldNode(name, value) { Location = LocationFrom(start) };
    }

    /// <summary>Type :: NamedType | ListType | NonNullType</summary>
    private TypeNode ParseTypeReference()
    {
        var start = Current;
        TypeNode type;
        if (ExpectOptionalToken(TokenKind.BracketLeft))
        {
            using var level = Nest();
            var itemType = ParseTypeReference();
            ExpectToken(TokenKind.BracketRight);
            type = new ListTypeNode(itemType) { Location = LocationFrom(start) };
        }
        else
        {
            type = ParseNamedType();
        }

        return ExpectOptionalToken(TokenKind.Bang) ? new NonNullTypeNode(type) { Location = LocationFrom(start) } : type;
    }

    private NamedTypeNode ParseNamedType()
    {
        var start = Current;
        var name = ParseName();
        return new NamedTypeNode(name) { Location = LocationFrom(start) };
    }
}
