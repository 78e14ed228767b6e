using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Hosting;

/// <summary>Tests that host the Api share the tiny model package and the generated audio (xunit looks for collections in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class ApiTestGroup : ICollectionFixture<PipelineFixture>
{
    public const string Name = "api";
}
