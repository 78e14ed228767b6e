namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>
/// Tests that look for leftover ffmpeg processes. They run alone, after the parallel tests, so that every ffmpeg
/// child of this process they find was left behind by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessLeakChecks
{
    public const string Name = "ffmpeg process leak checks";
}
