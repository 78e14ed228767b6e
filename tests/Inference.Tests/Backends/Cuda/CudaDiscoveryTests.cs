using MusicSearch.Inference.Backends.Cuda;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Backends.Cuda;

/// <summary>Discovery on a fake tree of files named like the libraries: search order and report, not loading.</summary>
public sealed class CudaDiscoveryTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Option_paths_come_before_the_environment_variable_then_python_wheels_then_system()
    {
        var option = Touch("opt/lib64/libcuda.so.1");
        var variable = Touch("env/libnvrtc.so.12");
        var wheel = Touch("venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublasLt.so.13");
        var system = Touch("sys/libcuda.so.1");
        var options = new CudaOptions { SearchPaths = [Dir("opt")], PythonEnvironments = [Dir("venv")] };

        var plan = CudaSearchPlan.Build(options, Dir("env"), [Path.GetDirectoryName(system)!]);

        Assert.Equal(
            [Dir("opt"), Path.GetDirectoryName(option), Path.GetDirectoryName(variable), Path.GetDirectoryName(wheel), Path.GetDirectoryName(system)],
            plan.Select(d => d.Path));
        Assert.Equal(["option", "option", CudaOptions.PathVariable, $"python {Dir("venv/lib/python3.12/site-packages")}", "system"], plan.Select(d => d.Origin));
        var located = CudaLibraryLocator.Locate(plan, useLoaderSearch: false);
        Assert.Equal(option, Location(located, CudaLibrary.Driver).Path);
        Assert.Equal(wheel, Location(located, CudaLibrary.BlasLt).Path);
        Assert.Equal(variable, Location(located, CudaLibrary.Nvrtc).Path);
    }

    [Fact]
    public void A_python_executable_finds_the_cuda_12_wheels_of_its_environment()
    {
        Touch("torch/bin/python3");
        var blas = Touch("torch/lib/python3.11/site-packages/nvidia/cublas/lib/libcublas.so.12");
        var blasLt = Touch("torch/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.12");
        var nvrtc = Touch("torch/lib/python3.11/site-packages/nvidia/cuda_nvrtc/lib/libnvrtc.so.12");
        var options = new CudaOptions { PythonEnvironments = [Path.Combine(Dir("torch/bin"), "python3")], SearchSystemDirectories = false };

        var located = CudaLibraryLocator.Locate(CudaSearchPlan.Build(options, null), useLoaderSearch: false);

        Assert.Equal(blas, Location(located, CudaLibrary.Blas).Path);
        Assert.Equal(blasLt, Location(located, CudaLibrary.BlasLt).Path);
        Assert.Equal(nvrtc, Location(located, CudaLibrary.Nvrtc).Path);
        Assert.Null(Location(located, CudaLibrary.Driver).Path);
    }

    [Fact]
    public void The_newest_soname_wins_within_a_directory_and_cublas_follows_the_cublaslt_major()
    {
        Touch("a/libcublasLt.so.12");
        var newest = Touch("a/libcublasLt.so.13");
        Touch("a/libcublas.so.12");
        var matching = Touch("b/libcublas.so.13");
        var options = new CudaOptions { SearchPaths = [Dir("a"), Dir("b")], SearchSystemDirectories = false };

        var located = CudaLibraryLocator.Locate(CudaSearchPlan.Build(options, null), useLoaderSearch: false);

        Assert.Equal(newest, Location(located, CudaLibrary.BlasLt).Path);
        Assert.Equal(matching, Location(located, CudaLibrary.Blas).Path);
    }

    [Fact]
    public void A_directory_is_searched_once_and_missing_ones_are_skipped()
    {
        Touch("x/libcuda.so.1");
        var options = new CudaOptions { SearchPaths = [Dir("x"), Dir("x") + "/", Dir("absent")], SearchSystemDirectories = false };

        var plan = CudaSearchPlan.Build(options, Dir("x") + Path.PathSeparator + Dir("absent"));

        Assert.Equal([Dir("x")], plan.Select(d => d.Path));
    }

    [Fact]
    public void Without_system_search_a_missing_library_reports_its_sonames_and_the_searched_directories()
    {
        Touch("empty/readme.txt");
        var options = new CudaOptions { SearchPaths = [Dir("empty")], SearchSystemDirectories = false };

        var libraries = CudaLibraries.Load(options);

        Assert.False(libraries.AllLoaded);
        Assert.Equal("libcuda.so.1 not found in 1 searched directories", libraries.FirstProblem);
        var nvrtc = libraries.Libraries.Single(l => l.Location.Library == CudaLibrary.Nvrtc);
        Assert.Equal("libnvrtc.so.13 or libnvrtc.so.12 not found in 1 searched directories", nvrtc.Problem);
        Assert.Contains($"{Dir("empty")} [option]", libraries.Report(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_reported_with_the_loader_error()
    {
        var fake = Touch("bad/libcuda.so.1");
        var options = new CudaOptions { SearchPaths = [Dir("bad")], SearchSystemDirectories = false };

        var driver = CudaLibraries.Load(options).Libraries.Single(l => l.Location.Library == CudaLibrary.Driver);

        Assert.False(driver.IsLoaded);
        Assert.Contains(fake, driver.Problem, StringComparison.Ordinal);
    }

    private static CudaLibraryLocation Location(IReadOnlyList<CudaLibraryLocation> located, CudaLibrary library) =>
        located.Single(l => l.Library == library);

    private string Dir(string relative) => Path.GetFullPath(Path.Combine(_root.Path, relative));

    private string Touch(string relative)
    {
        var path = Dir(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not a library");
        return path;
    }
}
