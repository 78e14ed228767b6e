using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Tests.Types;

/// <summary>Spec 3.5 coercion of the built-in scalars, with graphql-js's messages.</summary>
public class ScalarCoercionTests
{
    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(-2147483648.0, int.MinValue)]
    [InlineData(true, 1)]
    [InlineData("12", 12)]
    [InlineData(7L, 7)]
    public void Int_serializes_integral_values(object value, int expected) => Assert.Equal(expected, BuiltInScalars.Int.Serialize(value));

    [Theory]
    [InlineData(1.5, "Int cannot represent non-integer value: 1.5")]
    [InlineData(2147483648.0, "Int cannot represent non 32-bit signed integer value: 2147483648")]
    [InlineData("one", "Int cannot represent non-integer value: \"one\"")]
    [InlineData(1e100, "Int cannot represent non 32-bit signed integer value: 1e+100")]
    public void Int_refuses_to_serialize_other_values(object value, string message) =>
        Assert.Equal(message, Assert.Throws<GraphQLException>(() => BuiltInScalars.Int.Serialize(value)).Message);

    [Theory]
    [InlineData("Int", "1.5", "Int cannot represent non-integer value: 1.5")]
    [InlineData("Int", "\"1\"", "Int cannot represent non-integer value: \"1\"")]
    [InlineData("Int", "3000000000", "Int cannot represent non 32-bit signed integer value: 3000000000")]
    [InlineData("Float", "true", "Float cannot represent non numeric value: true")]
    [InlineData("String", "1", "String cannot represent a non string value: 1")]
    [InlineData("Boolean", "\"true\"", "Boolean cannot represent a non boolean value: \"true\"")]
    [InlineData("ID", "1.0", "ID cannot represent a non-string and non-integer value: 1.0")]
    [InlineData("ID", "[1]", "ID cannot represent a non-string and non-integer value: [1]")]
    public void Literals_of_the_wrong_kind_are_refused(string scalar, string literal, string message)
    {
        var type = BuiltInScalars.All.Single(candidate => candidate.Name == scalar);

        var error = Assert.Throws<GraphQLException>(() => type.ParseLiteral(Parser.ParseValue(literal), null));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Literals_of_the_right_kind_become_internal_values()
    {
        Assert.Equal(-5, BuiltInScalars.Int.ParseLiteral(Parser.ParseValue("-5"), null));
        Assert.Equal(5.0, BuiltInScalars.Float.ParseLiteral(Parser.ParseValue("5"), null));
        Assert.Equal("7", BuiltInScalars.ID.ParseLiteral(Parser.ParseValue("7"), null));
        Assert.Equal("x", BuiltInScalars.ID.ParseLiteral(Parser.ParseValue("\"x\""), null));
    }

    [Fact]
    public void Variable_values_follow_json_numbers()
    {
        Assert.Equal(3, BuiltInScalars.Int.ParseValue(3.0));
        Assert.Equal("4", BuiltInScalars.ID.ParseValue(4.0));
        Assert.Equal("Int cannot represent non-integer value: 3.5", Assert.Throws<GraphQLException>(() => BuiltInScalars.Int.ParseValue(3.5)).Message);
        Assert.Equal("ID cannot represent value: true", Assert.Throws<GraphQLException>(() => BuiltInScalars.ID.ParseValue(true)).Message);
        Assert.Equal("String cannot represent a non string value: { a: [1, \"b\"] }",
            Assert.Throws<GraphQLException>(() => BuiltInScalars.String.ParseValue(new Dictionary<string, object?> { ["a"] = new object[] { 1.0, "b" } })).Message);
    }

    [Fact]
    public void Enums_name_their_values_and_suggest_close_ones()
    {
        var mood = (EnumType)RichSchema.Build().GetType("Mood")!;

        Assert.Equal("VERY_ENERGETIC", mood.Serialize(RichSchema.Mood.VeryEnergetic));
        Assert.Equal(RichSchema.Mood.Calm, mood.ParseValue("CALM"));
        Assert.Equal("Value \"CALMM\" does not exist in \"Mood\" enum. Did you mean the enum value \"CALM\"?",
            Assert.Throws<GraphQLException>(() => mood.ParseValue("CALMM")).Message);
        Assert.Equal("Enum \"Mood\" cannot represent non-enum value: \"CALM\". Did you mean the enum value \"CALM\"?",
            Assert.Throws<GraphQLException>(() => mood.ParseLiteral(Parser.ParseValue("\"CALM\""))).Message);
        Assert.Equal("Enum \"Mood\" cannot represent value: 3", Assert.Throws<GraphQLException>(() => mood.Serialize(3)).Message);
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-123.456, "-123.456")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    public void Numbers_print_as_javascript_prints_them(double value, string expected) => Assert.Equal(expected, JsNumber.Format(value));
}
