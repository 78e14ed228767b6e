using MusicSearch.Inference.Backends.Cuda;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Backends.Cuda;

/// <summary>What can be checked of the kernels without NVRTC: embedded, named as the backend calls them, balanced.</summary>
public sealed class CudaKernelSourceTests
{
    public static TheoryData<string> Files => [.. CudaKernelSources.Kernels.Keys];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_kernel_the_backend_names_is_defined_once_in_its_file(string file)
    {
        var defined = CudaKernelSources.DefinedKernels(CudaKernelSources.Read(file));

        Assert.Equal(CudaKernelSources.Kernels[file].Order(StringComparer.Ordinal), defined.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Programs_have_balanced_brackets_and_the_common_header(string file)
    {
        var program = CudaKernelSources.Program(file);

        Assert.Contains("ms_activate(float x, int activation)", program, StringComparison.Ordinal);
        foreach (var (open, close) in new[] { ('{', '}'), ('(', ')'), ('[', ']') })
        {
            Assert.Equal(program.Count(c => c == open), program.Count(c => c == close));
        }
    }

    [Fact]
    public void Every_kernel_file_in_the_repository_is_embedded_and_listed()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "src", "Inference", "Backends", "Cuda", "Kernels");
        var files = Directory.EnumerateFiles(folder, "*.cu").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(CudaKernelSources.Kernels.Keys.Order(StringComparer.Ordinal), files);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CudaKernelSources.Read("Nope.cu"));
        Assert.Contains("Nope.cu", error.Message, StringComparison.Ordinal);
    }
}
