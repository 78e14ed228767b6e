using System.Collections;
using System.Globalization;

namespace MusicSearch.GraphQL.Execution;

/// <summary>Hands coerced input values to resolvers as the CLR types they ask for.</summary>
internal static class ValueConversion
{
    /// <summary>
    /// <paramref name="value"/> as <typeparamref name="T"/>: as is when it already is one, numbers converted between
    /// numeric types (Int arrives as <see cref="int"/>, Float as <see cref="double"/>), null as <c>default</c>.
    /// </summary>
    public static T To<T>(object? value, string what)
    {
        switch (value)
        {
            case T typed:
                return typed;
            case null when default(T) is null:
                return default!;
            case null:
                throw new InvalidOperationException($"{what} is null, which {typeof(T).Name} cannot hold; ask for {typeof(T).Name}? instead.");
            case IConvertible when IsNumeric(typeof(T)):
                return (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
            default:
                throw new InvalidCastException($"{what} is a {value.GetType().Name}, not a {typeof(T).Name}.");
        }
    }

    public static IReadOnlyList<T> ToList<T>(object? value, string what) => value switch
    {
        null => [],
        IReadOnlyList<T> typed => typed,
        IEnumerable items and not string => [.. items.Cast<object?>().Select((item, index) => To<T>(item, $"{what}[{index}]"))],
        _ => [To<T>(value, what)],
    };

    private static bool IsNumeric(Type type) =>
        Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) is TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.UInt16
            or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.Byte or TypeCode.SByte or TypeCode.Single or TypeCode.Double or TypeCode.Decimal;
}
