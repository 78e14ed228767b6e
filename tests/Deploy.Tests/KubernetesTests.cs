using System.Text.RegularExpressions;
using MusicSearch.Testing;
using YamlDotNet.RepresentationModel;

namespace MusicSearch.Deploy.Tests;

/// <summary>deploy/k8s (kustomize), checked as files: every manifest parses and carries what running it safely needs.</summary>
public sealed partial class KubernetesTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");
    private static readonly YamlMappingNode Kustomization = Yaml.Documents(Path.Combine(Folder, "kustomization.yaml")).Single();

    private static readonly List<(string File, YamlMappingNode Document)> Manifests =
        [.. Kustomization.Get("resources").Items().Select(r => ((YamlScalarNode)r).Value!).SelectMany(file => Yaml.Documents(Path.Combine(Folder, file)).Select(d => (file, d)))];

    private static IEnumerable<YamlMappingNode> OfKind(string kind) => Manifests.Select(m => m.Document).Where(d => d.Text("kind") == kind);

    private static YamlMappingNode Named(string kind, string name) => OfKind(kind).Single(d => d.Text("metadata", "name") == name);

    private static IEnumerable<YamlMappingNode> Workloads => OfKind("Deployment").Concat(OfKind("StatefulSet"));

    private static IEnumerable<YamlNode> Containers(YamlNode workload) => workload.Get("spec", "template", "spec", "containers").Items();

    private static HashSet<string> SecretKeys => File.ReadAllLines(Path.Combine(Folder, "secrets.env.example"))
        .Where(line => line.Contains('=', StringComparison.Ordinal)).Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_kustomization_lists_every_manifest_and_generates_the_secret_from_an_uncommitted_file()
    {
        var listed = Kustomization.Get("resources").Items().Select(r => ((YamlScalarNode)r).Value!).Order(StringComparer.Ordinal).ToList();
        var present = Directory.GetFiles(Folder, "*.yaml").Select(f => Path.GetFileName(f)).Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(present, listed);
        var generator = Kustomization.Get("secretGenerator").Items().Single();
        Assert.Equal("musicsearch-secrets", generator.Text("name"));
        Assert.Equal(["secrets.env"], generator.Get("envs").Items().Select(e => ((YamlScalarNode)e).Value));
        Assert.Equal("true", Kustomization.Text("generatorOptions", "disableNameSuffixHash"));
        Assert.Contains("deploy/k8s/secrets.env", File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")));
        Assert.All(Kustomization.Get("images").Items(), image => Assert.Matches(@"^\d+\.\d+\.\d+$", image.Text("newTag")));
    }

    [Fact]
    public void Every_document_parses_as_a_named_resource_and_none_is_an_inline_secret()
    {
        Assert.True(Manifests.Count >= 15, $"only {Manifests.Count} documents");
        Assert.All(Manifests, m =>
        {
            Assert.False(string.IsNullOrEmpty(m.Document.Text("apiVersion")), m.File);
            Assert.False(string.IsNullOrEmpty(m.Document.Text("kind")), m.File);
            Assert.False(string.IsNullOrEmpty(m.Document.Text("metadata", "name")), m.File);
        });
        Assert.Empty(OfKind("Secret"));
    }

    [Fact]
    public void Workloads_pin_images_set_resources_and_probe_their_health()
    {
        Assert.Equal(["api", "indexer", "qdrant", "rabbitmq", "web"], Workloads.Select(w => w.Text("metadata", "name")!).Order(StringComparer.Ordinal));
        foreach (var workload in Workloads)
        {
            var name = workload.Text("metadata", "name");
            var selector = workload.Get("spec", "selector", "matchLabels").Labels();
            var labels = workload.Get("spec", "template", "metadata", "labels").Labels();
            Assert.NotEmpty(selector);
            Assert.All(selector, pair => Assert.Equal(pair.Value, labels.GetValueOrDefault(pair.Key)));
            Assert.Equal("true", workload.Text("spec", "template", "spec", "securityContext", "runAsNonRoot"));
            foreach (var container in Containers(workload))
            {
                Assert.True(Yaml.IsPinned(container.Text("image")!), $"{name}: image {container.Text("image")} is not pinned");
                foreach (var bound in new[] { "requests", "limits" })
                {
                    Assert.NotNull(container.Text("resources", bound, "cpu"));
                    Assert.NotNull(container.Text("resources", bound, "memory"));
                }
                Assert.NotNull(container.Get("readinessProbe"));
                Assert.NotNull(container.Get("livenessProbe"));
            }
        }
    }

    [Fact]
    public void Secrets_are_referenced_never_written_into_the_manifests()
    {
        var keys = SecretKeys;
        foreach (var workload in Workloads)
        {
            foreach (var variable in Containers(workload).SelectMany(c => c.Get("env").Items()))
            {
                var name = variable.Text("name")!;
                if (!Sensitive().IsMatch(name))
                {
                    continue;
                }
                Assert.Null(variable.Get("value"));
                Assert.Equal("musicsearch-secrets", variable.Text("valueFrom", "secretKeyRef", "name"));
                Assert.Contains(variable.Text("valueFrom", "secretKeyRef", "key")!, keys);
            }
        }
        var authentication = Named("TriggerAuthentication", "rabbitmq").Get("spec", "secretTargetRef").Items().Single();
        Assert.Equal("musicsearch-secrets", authentication.Text("name"));
        Assert.Contains(authentication.Text("key")!, keys);
    }

    [Fact]
    public void Disruption_budgets_cover_every_serving_workload()
    {
        foreach (var name in new[] { "qdrant", "api", "web", "indexer" })
        {
            var budget = Named("PodDisruptionBudget", name);
            Assert.True(budget.Get("spec", "minAvailable") is not null ^ budget.Get("spec", "maxUnavailable") is not null);
            var selector = budget.Get("spec", "selector", "matchLabels").Labels();
            var workload = Workloads.Single(w => w.Text("metadata", "name") == name);
            Assert.Equal(selector, workload.Get("spec", "template", "metadata", "labels").Labels());
        }
        Assert.Equal("1", Named("PodDisruptionBudget", "qdrant").Text("spec", "maxUnavailable"));
    }

    [Fact]
    public void Qdrant_is_a_cluster_of_three_and_collections_are_sharded_and_replicated()
    {
        var qdrant = Named("StatefulSet", "qdrant");
        Assert.Equal("3", qdrant.Text("spec", "replicas"));
        Assert.StartsWith("qdrant/qdrant:v1.19.", Containers(qdrant).Single().Text("image"), StringComparison.Ordinal);
        Assert.Equal("true", Containers(qdrant).Single().Get("env").Items().Single(e => e.Text("name") == "QDRANT__CLUSTER__ENABLED").Text("value"));
        Assert.NotEmpty(qdrant.Get("spec", "volumeClaimTemplates").Items());
        Assert.Equal("qdrant-headless", qdrant.Text("spec", "serviceName"));
        Assert.Equal("None", Named("Service", "qdrant-headless").Text("spec", "clusterIP"));
        foreach (var name in new[] { "api", "indexer" })
        {
            var environment = Containers(Named("Deployment", name)).Single().Get("env").Items().ToDictionary(e => e.Text("name")!, e => e.Text("value"));
            Assert.Equal("Qdrant", environment["Store__Kind"]);
            Assert.Equal("6", environment["Store__Qdrant__ShardNumber"]);
            Assert.Equal("2", environment["Store__Qdrant__ReplicationFactor"]);
        }
    }

    [Fact]
    public void The_api_scales_on_cpu_and_the_indexers_on_the_queue_on_gpu_nodes()
    {
        var hpa = Named("HorizontalPodAutoscaler", "api");
        Assert.Equal(("Deployment", "api"), (hpa.Text("spec", "scaleTargetRef", "kind"), hpa.Text("spec", "scaleTargetRef", "name")));
        Assert.True(int.Parse(hpa.Text("spec", "minReplicas")!) >= 2 && int.Parse(hpa.Text("spec", "maxReplicas")!) > int.Parse(hpa.Text("spec", "minReplicas")!));
        Assert.Equal("cpu", hpa.Get("spec", "metrics").Items().Single().Text("resource", "name"));

        var scaled = Named("ScaledObject", "indexer");
        Assert.Equal("keda.sh/v1alpha1", scaled.Text("apiVersion"));
        Assert.Equal(("Deployment", "indexer"), (scaled.Text("spec", "scaleTargetRef", "kind"), scaled.Text("spec", "scaleTargetRef", "name")));
        Assert.True(int.Parse(scaled.Text("spec", "maxReplicaCount")!) > int.Parse(scaled.Text("spec", "minReplicaCount")!));
        var trigger = scaled.Get("spec", "triggers").Items().Single();
        Assert.Equal("rabbitmq", trigger.Text("type"));
        Assert.Equal("index-track", trigger.Text("metadata", "queueName"));
        Assert.Equal("QueueLength", trigger.Text("metadata", "mode"));
        Assert.True(int.Parse(trigger.Text("metadata", "value")!) > 0);
        Assert.NotNull(Named("TriggerAuthentication", trigger.Text("authenticationRef", "name")!));

        var indexer = Named("Deployment", "indexer");
        Assert.Equal("1", Containers(indexer).Single().Text("resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("true", indexer.Text("spec", "template", "spec", "nodeSelector", "nvidia.com/gpu.present"));
        Assert.Contains(indexer.Get("spec", "template", "spec", "tolerations").Items(), t => t.Text("key") == "nvidia.com/gpu");
    }

    [Fact]
    public void Services_select_pods_that_exist()
    {
        foreach (var service in OfKind("Service"))
        {
            var selector = service.Get("spec", "selector").Labels();
            Assert.Contains(Workloads, w => selector.All(pair => w.Get("spec", "template", "metadata", "labels").Labels().GetValueOrDefault(pair.Key) == pair.Value));
        }
    }

    [GeneratedRegex("PASS|API_?KEY|SECRET|TOKEN", RegexOptions.IgnoreCase)]
    private static partial Regex Sensitive();
}
