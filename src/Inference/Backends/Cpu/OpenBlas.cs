using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// The OpenBLAS entry points the CPU backend uses: row-major sgemm and the thread count.
/// <para>
/// OpenBLAS is one per process, and changing its thread count while a multi-threaded GEMM runs corrupts that
/// GEMM (<c>openblas_set_num_threads</c> frees the per-thread buffers it uses; measured: wrong results when a
/// 1-thread backend ran beside a 2-thread one). So every GEMM holds one process-wide gate: the GEMMs of all
/// CPU backends in the process take turns, each with its own thread count, which also keeps two models that
/// run at once from oversubscribing the cores.
/// </para>
/// </summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101;
    private const int NoTranspose = 111;
    private const int Transpose = 112;

    /// <summary>
    /// The thread count last set on this thread, and on any thread. An OpenMP build of OpenBLAS takes the count
    /// from the calling thread's OpenMP setting, a pthreads build from one global: the count is set again when
    /// either differs, which is right for both builds.
    /// </summary>
    [ThreadStatic]
    private static int t_threads;

    private static int s_threads;

    private static readonly Lock Gate = new();

    /// <summary>Fails with an actionable message when the library is missing, instead of at the first op.</summary>
    public static void EnsureLoaded()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(OpenBlas).Assembly, null, out _))
        {
            throw new InvalidOperationException(
                $"The CPU backend needs OpenBLAS, but {Library} could not be loaded. " +
                "Install it (Debian: apt-get install libopenblas0-pthread or libopenblas0-openmp).");
        }
    }

    /// <summary>OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH USE_OPENMP Zen MAX_THREADS=64".</summary>
    public static string Configuration => Marshal.PtrToStringUTF8(openblas_get_config()) ?? "";

    /// <summary>
    /// C[m, n] = alpha·A[m, k]·op(B) + beta·C, all row-major with leading dimensions (row strides) lda, ldb,
    /// ldc; op(B) is B [k, n], or Bᵀ for B stored [n, k].
    /// </summary>
    public static void Gemm(int threads, bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        lock (Gate)
        {
            UseThreads(threads);
            cblas_sgemm(RowMajor, NoTranspose, transposeB ? Transpose : NoTranspose, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    /// <summary>
    /// Holds the gate for a job in which several threads run single-threaded GEMMs at once
    /// (<see cref="GemmOnThisThread"/>), and sets the caller to one thread before the others start.
    /// </summary>
    public static Lock.Scope SingleThreadedSection()
    {
        var scope = Gate.EnterScope();
        UseThreads(1);
        return scope;
    }

    /// <summary>
    /// <see cref="Gemm"/> with one OpenBLAS thread and without taking the gate: only inside a
    /// <see cref="SingleThreadedSection"/>, from any thread of its job. Setting one thread, after the section
    /// already set it on the caller, releases no buffer, so these calls cannot disturb each other.
    /// </summary>
    public static void GemmOnThisThread(bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        UseThreads(1);
        cblas_sgemm(RowMajor, NoTranspose, transposeB ? Transpose : NoTranspose, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Sets the thread count for GEMMs called from this thread (a no-op when it is already set).</summary>
    private static void UseThreads(int threads)
    {
        if (t_threads != threads || s_threads != threads)
        {
            openblas_set_num_threads(threads);
            t_threads = threads;
            s_threads = threads;
        }
    }

    [LibraryImport(Library)]
    private static partial void cblas_sgemm(int order, int transposeA, int transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library)]
    private static partial void openblas_set_num_threads(int threads);

    [LibraryImport(Library)]
    private static partial nint openblas_get_config();
}
