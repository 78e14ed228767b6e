using MusicSearch.Testing;

namespace MusicSearch.Deploy.Tests;

/// <summary>The images: multi-stage, pinned bases, a non-root final stage with a health check, what each one needs.</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "api.Dockerfile", "src/Api" },
        { "indexer.Dockerfile", "src/Indexer" },
        { "web.Dockerfile", "src/Web" },
    };

    private static string[] Lines(string file) => File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "deploy", "docker", file));

    /// <summary>The instructions of the last stage (after its FROM).</summary>
    private static List<string> FinalStage(string file) => [.. Lines(file).Reverse().TakeWhile(line => !line.StartsWith("FROM ", StringComparison.Ordinal)).Reverse()];

    [Theory]
    [MemberData(nameof(Images))]
    public void Images_build_in_stages_from_pinned_bases_and_publish_their_project(string file, string project)
    {
        var froms = Lines(file).Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)).Select(line => line.Split(' ')[1]).ToList();
        Assert.True(froms.Count >= 2, $"{file} is not multi-stage");
        Assert.All(froms, image => Assert.True(Yaml.IsPinned(image), $"{file}: base {image} is not pinned"));
        Assert.Contains(Lines(file), line => line.Contains($"dotnet publish {project} ", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, project)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_final_stage_runs_as_a_non_root_user_with_a_health_check(string file, string project)
    {
        _ = project;
        var final = FinalStage(file);
        var user = final.Last(line => line.StartsWith("USER ", StringComparison.Ordinal))[5..].Trim();
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.Contains(final, line => line.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains(final, line => line.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        // The user is set after everything that needs root (package installs).
        Assert.True(final.FindIndex(line => line.StartsWith("USER ", StringComparison.Ordinal)) > final.FindLastIndex(line => line.Contains("apt-get", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_indexer_runs_on_the_CUDA_runtime_with_ffmpeg_and_a_CPU_fallback()
    {
        var from = Lines("indexer.Dockerfile").Last(line => line.StartsWith("FROM ", StringComparison.Ordinal)).Split(' ')[1];
        Assert.Matches(@"^nvidia/cuda:\d+\.\d+\.\d+-runtime-", from);
        var final = string.Join('\n', FinalStage("indexer.Dockerfile"));
        Assert.Contains("ffmpeg", final, StringComparison.Ordinal);
        Assert.Contains("libopenblas0", final, StringComparison.Ordinal);
        Assert.Contains("--self-contained", string.Join('\n', Lines("indexer.Dockerfile")), StringComparison.Ordinal);
        Assert.Contains("ffmpeg", string.Join('\n', FinalStage("api.Dockerfile")), StringComparison.Ordinal);
    }
}
