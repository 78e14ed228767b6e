using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests.Commands;

/// <summary>Tests that share the tiny models, the generated tracks and one private RabbitMQ node (xunit looks for collections in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class PipelineTestGroup : ICollectionFixture<PipelineFixture>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "pipeline";
}
