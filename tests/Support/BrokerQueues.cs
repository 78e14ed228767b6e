using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MusicSearch.Testing;

/// <summary>Looks at queues on the broker directly, over AMQP (independent of MassTransit).</summary>
public static class BrokerQueues
{
    /// <returns>The ready messages in <paramref name="queue"/>, or null when the broker has no such queue.</returns>
    public static async Task<uint?> MessageCountAsync(RabbitMqBroker broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = broker.ConnectionUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>Asks the broker every 100 ms (cheap AMQP calls) until the queue holds <paramref name="expected"/> messages.</summary>
    public static async Task WaitForMessageCountAsync(RabbitMqBroker broker, string queue, uint expected)
    {
        var limit = TimeSpan.FromSeconds(10);
        var deadline = DateTime.UtcNow + limit;
        uint? count;
        while ((count = await MessageCountAsync(broker, queue)) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Queue {queue} holds {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no queue"}, not {expected}, after {limit.TotalSeconds:0} s.");
            }
            await Task.Delay(100);
        }
    }
}
