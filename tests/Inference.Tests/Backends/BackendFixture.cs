using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>
/// One run of backend_reference.py and the backend under test, shared by the op tests (which run one at a
/// time). The tests use the backend through <see cref="IComputeBackend"/> only: another backend runs them by
/// being created here.
/// </summary>
public sealed class BackendFixture : IAsyncLifetime
{
    private ReferenceFile? _reference;

    public IComputeBackend Backend { get; } = new CpuBackend();

    public ReferenceFile Reference => _reference ?? throw new InvalidOperationException("The reference cases were not generated.");

    public async Task InitializeAsync() => _reference = await ReferenceFile.GenerateAsync("backend_reference.py");

    public Task DisposeAsync()
    {
        _reference?.Dispose();
        Backend.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class BackendTestGroup : ICollectionFixture<BackendFixture>
{
    public const string Name = "CPU backend against PyTorch";
}
