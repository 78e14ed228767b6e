using System.Text.RegularExpressions;
using MusicSearch.Testing;
using YamlDotNet.RepresentationModel;

namespace MusicSearch.Deploy.Tests;

/// <summary>docker-compose.yml, the distributed stack on one host, checked as a file.</summary>
public sealed partial class ComposeTests
{
    private static readonly YamlMappingNode Compose = Yaml.Documents(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")).Single();
    private static readonly string[] AppServices = ["api", "indexer", "indexer-gpu", "web"];

    private static YamlNode Service(string name) => Compose.Get("services", name) ?? throw new Xunit.Sdk.XunitException($"no service {name}");

    [Fact]
    public void Every_service_is_there_with_a_pinned_or_built_image_and_a_health_check()
    {
        Assert.Equal(["api", "indexer", "indexer-gpu", "qdrant", "rabbitmq", "web"], Compose.Get("services").Entries().Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (name, service) in Compose.Get("services").Entries())
        {
            var image = service.Text("image");
            if (name == "indexer-gpu")
            {
                Assert.Equal("indexer", service.Text("extends", "service"));
                continue;
            }
            Assert.NotNull(image);
            if (service.Get("build") is { } build)
            {
                Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, build.Text("dockerfile")!)), $"{name}: {build.Text("dockerfile")} is missing");
            }
            else
            {
                Assert.True(Yaml.IsPinned(image), $"{name}: image {image} is not pinned to a version");
            }
            Assert.NotEmpty(service.Get("healthcheck", "test").Items());
            Assert.NotNull(service.Text("healthcheck", "interval"));
        }
    }

    [Fact]
    public void Qdrant_is_1_19_with_a_volume_and_an_api_key_from_the_environment()
    {
        var qdrant = Service("qdrant");
        Assert.StartsWith("qdrant/qdrant:v1.19.", qdrant.Text("image"), StringComparison.Ordinal);
        Assert.Contains(qdrant.Get("volumes").Items(), volume => ((YamlScalarNode)volume).Value!.EndsWith(":/qdrant/storage", StringComparison.Ordinal));
        Assert.NotNull(Compose.Get("volumes", "qdrant-data"));
        Assert.Matches(@"^\$\{QDRANT_API_KEY", qdrant.Text("environment", "QDRANT__SERVICE__API_KEY"));
        Assert.Contains("management", Service("rabbitmq").Text("image"), StringComparison.Ordinal);
    }

    [Fact]
    public void Applications_start_once_what_they_need_is_healthy()
    {
        foreach (var name in new[] { "api", "indexer", "indexer-gpu" })
        {
            Assert.Equal("service_healthy", Service(name).Text("depends_on", "qdrant", "condition"));
            Assert.Equal("service_healthy", Service(name).Text("depends_on", "rabbitmq", "condition"));
        }
        Assert.Equal("service_healthy", Service("web").Text("depends_on", "api", "condition"));
    }

    [Fact]
    public void Backends_use_Qdrant_and_RabbitMq_by_configuration_with_secrets_from_the_env_file()
    {
        foreach (var name in new[] { "api", "indexer" })
        {
            var environment = Service(name).Get("environment");
            Assert.Equal("Qdrant", environment.Text("Store__Kind"));
            Assert.Equal("http://qdrant:6333", environment.Text("Store__Qdrant__Url"));
            Assert.Equal("RabbitMq", environment.Text("Bus__Transport"));
            Assert.Matches(@"^\$\{QDRANT_API_KEY\}$", environment.Text("Store__Qdrant__ApiKey"));
            Assert.Matches(@"^\$\{RABBITMQ_PASSWORD\}$", environment.Text("Bus__RabbitMq__Password"));
        }
    }

    [Fact]
    public void Every_variable_the_file_uses_is_in_env_example()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var defined = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".env.example"))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);
        var used = Variable().Matches(text).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(used);
        Assert.Empty(used.Except(defined));
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")));
    }

    [Fact]
    public void Only_the_gpu_indexer_reserves_gpus()
    {
        var device = Service("indexer-gpu").Get("deploy", "resources", "reservations", "devices").Items().Single();
        Assert.Equal("nvidia", device.Text("driver"));
        Assert.Equal(["gpu"], device.Get("capabilities").Items().Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal(["gpu"], Service("indexer-gpu").Get("profiles").Items().Select(c => ((YamlScalarNode)c).Value));
        Assert.Null(Service("indexer").Get("deploy"));
        Assert.All(AppServices.Where(name => name != "indexer-gpu"), name => Assert.NotNull(Service(name).Text("restart")));
    }

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)")]
    private static partial Regex Variable();
}
