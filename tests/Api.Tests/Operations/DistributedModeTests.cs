using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Api.Operations;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Core.Catalog;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Operations;

[CollectionDefinition(Name)]
public sealed class DistributedApiTestGroup : ICollectionFixture<PipelineFixture>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "api-rabbitmq";
}

/// <summary>The Api with <c>Bus:Transport=RabbitMq</c> on a private broker: it only sends to the workers' queues, and is ready once connected.</summary>
[Collection(DistributedApiTestGroup.Name)]
public sealed class DistributedModeTests(PipelineFixture fixture, RabbitMqBroker broker)
{
    [Fact]
    public async Task Readiness_includes_the_broker_and_editor_operations_land_in_the_workers_queues()
    {
        await using var api = ApiHost.Start(fixture, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:EndpointPrefix"] = "api",
            ["Bus:RabbitMq:Host"] = broker.Host,
            ["Bus:RabbitMq:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Bus:RabbitMq:VirtualHost"] = broker.VirtualHost,
            ["Bus:RabbitMq:Username"] = broker.Username,
            ["Bus:RabbitMq:Password"] = broker.Password,
        });

        using var ready = await api.GetAsync("/health/ready", key: null);
        var json = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, json);
        Assert.Equal("Healthy", HealthEndpointTests.Check(json, "bus").GetProperty("status").GetString());

        var editor = api.Services.GetRequiredService<CatalogEditor>();
        await editor.EnqueueTracksAsync([PipelineFixture.TrackFor(fixture.AudioFiles[0], "d"), PipelineFixture.TrackFor(fixture.AudioFiles[1], "d")], CancellationToken.None);
        await editor.RemoveTrackAsync(new TrackId("d-gone"), CancellationToken.None);
        await editor.ReindexAsync("next-model", CancellationToken.None);

        // No consumer runs in this process: the messages wait for workers.
        await BrokerQueues.WaitForMessageCountAsync(broker, "api-index-track", 2);
        await BrokerQueues.WaitForMessageCountAsync(broker, "api-remove-track", 1);
        await BrokerQueues.WaitForMessageCountAsync(broker, "api-reindex-catalog", 1);
    }
}
