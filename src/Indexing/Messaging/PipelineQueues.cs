using MassTransit;

namespace MusicSearch.Indexing.Messaging;

/// <summary>
/// The queue of each pipeline message, named exactly as the consumers' endpoints are (kebab case of the message type,
/// after <see cref="BusOptions.EndpointPrefix"/>). Producers send to these queues directly rather than publishing to the
/// message type's exchange, which drops messages while no worker has bound a queue to it yet.
/// </summary>
public static class PipelineQueues
{
    public static string Name<TMessage>(string? endpointPrefix)
        where TMessage : class =>
        new KebabCaseEndpointNameFormatter(endpointPrefix ?? "", includeNamespace: false).Message<TMessage>();

    /// <summary>The <c>queue:</c> address MassTransit's <c>GetSendEndpoint</c> takes.</summary>
    public static Uri Address<TMessage>(string? endpointPrefix)
        where TMessage : class =>
        new($"queue:{Name<TMessage>(endpointPrefix)}");
}
