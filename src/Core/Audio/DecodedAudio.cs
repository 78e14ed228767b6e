namespace MusicSearch.Core.Audio;

/// <summary>Mono float PCM, nominally in [-1, 1], at <see cref="SampleRate"/> Hz.</summary>
public sealed record DecodedAudio(float[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
