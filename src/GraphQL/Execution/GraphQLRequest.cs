using System.Text.Json;

namespace MusicSearch.GraphQL.Execution;

/// <summary>A GraphQL request as clients send it (GraphQL over HTTP): the document, which operation, variables, extensions.</summary>
/// <param name="Query">The document's text.</param>
/// <param name="OperationName">The operation to run; needed when the document has several.</param>
/// <param name="Variables">A JSON object of variable values, or nothing.</param>
/// <param name="Extensions">Protocol extensions (persisted queries, say), for the transport layer.</param>
public sealed record GraphQLRequest(string? Query, string? OperationName = null, JsonElement? Variables = null, JsonElement? Extensions = null);
