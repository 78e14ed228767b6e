namespace MusicSearch.GraphQL;

/// <summary>The <c>extensions.code</c> values the engine uses (the names common GraphQL servers use).</summary>
public static class ErrorCodes
{
    /// <summary>The document is not valid GraphQL syntax.</summary>
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";

    /// <summary>The document breaks a validation rule of the spec against the schema.</summary>
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";

    /// <summary>Variables or arguments cannot be coerced to their types, or the request itself is malformed.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>The requested operation is missing or ambiguous, or its type is not supported.</summary>
    public const string OperationResolutionFailure = "OPERATION_RESOLUTION_FAILURE";

    /// <summary>The document exceeds a bound of <c>ExecutionLimits</c>.</summary>
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";

    /// <summary>A resolver failed unexpectedly, or returned a value its type cannot represent.</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
}
