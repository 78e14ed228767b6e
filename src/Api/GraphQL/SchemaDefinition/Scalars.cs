using System.Globalization;
using MusicSearch.GraphQL;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>A file of a multipart request, named by its form part; the resolver opens it through <see cref="GraphQLRequestContext.Upload"/>.</summary>
public sealed record UploadReference(string Part);

/// <summary>The schema's own scalars: <c>Upload</c> (files of multipart requests) and <c>DateTime</c> (RFC 3339 instants).</summary>
internal static class Scalars
{
    public const string Upload = "Upload";
    public const string DateTime = "DateTime";

    public static SchemaBuilder AddScalars(this SchemaBuilder schema) => schema
        .Scalar(Upload, scalar => scalar
            .Description("A file sent with the request as described by the GraphQL multipart request spec: the operation's variable is null "
                + "in `operations` and the `map` field names the form part that holds the file. Input only.")
            .SpecifiedBy("https://github.com/jaydenseric/graphql-multipart-request-spec")
            // The multipart reader puts the part's name where the client left null; nothing else reaches a resolver.
            .ParseValue(value => value is string part ? new UploadReference(part) : throw new GraphQLException("Upload values come from the parts of a multipart request."))
            .ParseLiteral(_ => throw new GraphQLException("Upload values cannot be written in the document: pass them as variables of a multipart request."))
            .Serialize(_ => throw new GraphQLException("Upload is an input-only scalar.")))
        .Scalar(DateTime, scalar => scalar
            .Description("An instant as an RFC 3339 date-time string in UTC, e.g. `2026-11-22T10:15:30.000Z`.")
            .SpecifiedBy("https://scalars.graphql.org/andimarek/date-time")
            .Serialize(value => value is DateTimeOffset instant
                ? instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
                : throw new GraphQLException($"DateTime cannot represent {value.GetType().Name} values."))
            .ParseValue(value => value is string text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                ? instant
                : throw new GraphQLException("DateTime values are RFC 3339 date-time strings.")));
}
