using System.Globalization;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// The five scalars every schema has (spec 3.5), with graphql-js's coercion rules and error messages. Internal
/// values: Int is <see cref="int"/>, Float <see cref="double"/>, String and ID <see cref="string"/>, Boolean <see cref="bool"/>.
/// </summary>
#pragma warning disable CA1720 // The scalars are named as in GraphQL.
public static class BuiltInScalars
{
    public static ScalarType Int { get; } = new(
        "Int",
        value => SerializeInt(value),
        value => ParseIntValue(value),
        (literal, variables) => ParseIntLiteral(literal, variables),
        "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.");

    public static ScalarType Float { get; } = new(
        "Float",
        value => SerializeFloat(value),
        value => TryGetNumber(value, out var number) && double.IsFinite(number)
            ? number
            : throw Error($"Float cannot represent non numeric value: {Inspect.Value(value)}"),
        (literal, _) => literal switch
        {
            IntValueNode integer => double.Parse(integer.Value, CultureInfo.InvariantCulture),
            FloatValueNode number => double.Parse(number.Value, CultureInfo.InvariantCulture),
            _ => throw Error($"Float cannot represent non numeric value: {ScalarType.Describe(literal)}"),
        },
        "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).");

    public static ScalarType String { get; } = new(
        "String",
        value => SerializeString(value),
        value => value as string ?? throw Error($"String cannot represent a non string value: {Inspect.Value(value)}"),
        (literal, _) => literal is StringValueNode text
            ? text.Value
            : throw Error($"String cannot represent a non string value: {ScalarType.Describe(literal)}"),
        "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.");

    public static ScalarType Boolean { get; } = new(
        "Boolean",
        value => SerializeBoolean(value),
        value => value is bool boolean ? boolean : throw Error($"Boolean cannot represent a non boolean value: {Inspect.Value(value)}"),
        (literal, _) => literal is BooleanValueNode boolean
            ? boolean.Value
            : throw Error($"Boolean cannot represent a non boolean value: {ScalarType.Describe(literal)}"),
        "The `Boolean` scalar type represents `true` or `false`.");

    public static ScalarType ID { get; } = new(
        "ID",
        value => SerializeId(value),
        value => ParseIdValue(value),
        (literal, _) => literal switch
        {
            StringValueNode text => text.Value,
            IntValueNode integer => integer.Value,
            _ => throw Error($"ID cannot represent a non-string and non-integer value: {ScalarType.Describe(literal)}"),
        },
        "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.");

#pragma warning restore CA1720

    /// <summary>In graphql-js's order, which is the order introspection lists them in.</summary>
    public static IReadOnlyList<ScalarType> All { get; } = [String, Int, Float, Boolean, ID];

    private static int SerializeInt(object value)
    {
        double number;
        if (value is bool boolean)
        {
            return boolean ? 1 : 0;
        }

        if (value is int integer)
        {
            return integer;
        }

        if (!(TryGetNumber(value, out number) || (value is string { Length: > 0 } text && TryParseJsNumber(text, out number)))
            || !IsInteger(number))
        {
            throw Error($"Int cannot represent non-integer value: {Inspect.Value(value)}");
        }

        return number is > int.MaxValue or < int.MinValue
            ? throw Error($"Int cannot represent non 32-bit signed integer value: {Inspect.Value(value)}")
            : (int)number;
    }

    private static int ParseIntValue(object value)
    {
        if (!TryGetNumber(value, out var number) || !IsInteger(number))
        {
            throw Error($"Int cannot represent non-integer value: {Inspect.Value(value)}");
        }

        return number is > int.MaxValue or < int.MinValue
            ? throw Error($"Int cannot represent non 32-bit signed integer value: {JsNumber.Format(number)}")
            : (int)number;
    }

    private static int ParseIntLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables)
    {
        if (literal is not IntValueNode integer)
        {
            throw Error($"Int cannot represent non-integer value: {ScalarType.Describe(literal)}");
        }

        var number = double.Parse(integer.Value, CultureInfo.InvariantCulture);
        return number is > int.MaxValue or < int.MinValue
            ? throw Error($"Int cannot represent non 32-bit signed integer value: {integer.Value}")
            : (int)number;
    }

    private static double SerializeFloat(object value)
    {
        double number;
        if (value is bool boolean)
        {
            return boolean ? 1.0 : 0.0;
        }

        var isNumber = TryGetNumber(value, out number) || (value is string { Length: > 0 } text && TryParseJsNumber(text, out number));
        return isNumber && double.IsFinite(number)
            ? number
            : throw Error($"Float cannot represent non numeric value: {Inspect.Value(value)}");
    }

    private static string SerializeString(object value) => value switch
    {
        string text => text,
        bool boolean => boolean ? "true" : "false",
        Guid guid => guid.ToString(),
        _ when TryGetNumber(value, out var number) && double.IsFinite(number) => JsNumber.Format(number),
        _ => throw Error($"String cannot represent value: {Inspect.Value(value)}"),
    };

    private static bool SerializeBoolean(object value) => value switch
    {
        bool boolean => boolean,
        _ when TryGetNumber(value, out var number) && double.IsFinite(number) => number != 0,
        _ => throw Error($"Boolean cannot represent a non boolean value: {Inspect.Value(value)}"),
    };

    private static string SerializeId(object value) => value switch
    {
        string text => text,
        Guid guid => guid.ToString(),
        _ when TryGetNumber(value, out var number) && IsInteger(number) => JsNumber.Format(number),
        _ => throw Error($"ID cannot represent value: {Inspect.Value(value)}"),
    };

    private static string ParseIdValue(object value) => value switch
    {
        string text => text,
        _ when TryGetNumber(value, out var number) && IsInteger(number) => JsNumber.Format(number),
        _ => throw Error($"ID cannot represent value: {Inspect.Value(value)}"),
    };

    /// <summary>Any CLR number as a double, the one number type of JSON and JavaScript.</summary>
    private static bool TryGetNumber(object value, out double number)
    {
        if (JsonValues.IsNumber(value))
        {
            number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            return true;
        }

        number = 0;
        return false;
    }

    /// <summary>JavaScript's <c>Number(text)</c> for the decimal forms a value could plausibly take.</summary>
    private static bool TryParseJsNumber(string text, out double number) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private static bool IsInteger(double number) => double.IsFinite(number) && Math.Floor(number) == number;

    private static GraphQLException Error(string message) => new(message);
}
