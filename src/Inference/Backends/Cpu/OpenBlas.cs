using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// The OpenBLAS entry points the CPU backend uses: row-major sgemm on one OpenBLAS thread per calling thread (the
/// backend's own pool splits GEMMs, see <c>CpuBackend.Gemm</c>).
/// <para>
/// OpenBLAS is one per process, and changing its thread count while a multi-threaded GEMM runs corrupts that
/// GEMM (<c>openblas_set_num_threads</c> frees the per-thread buffers it uses; measured: wrong results when a
/// 1-thread backend ran beside a 2-thread one). The backend only ever asks for one thread, and every job of
/// GEMMs holds one process-wide gate: another OpenBLAS user in the process cannot change the count under it, and
/// the GEMMs of two models that run at once take turns instead of oversubscribing the cores.
/// </para>
/// </summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101;
    private const int NoTranspose = 111;
    private const int Transpose = 112;

    /// <summary>
    /// Whether one thread was set on this thread, and on any thread since someone set another count. An OpenMP
    /// build of OpenBLAS takes the count from the calling thread's OpenMP setting, a pthreads build from one
    /// global: the count is set again when either is unknown, which is right for both builds.
    /// </summary>
    [ThreadStatic]
    private static bool t_single;

    private static bool s_single;

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
    /// Holds the gate for a job in which the pool's threads run single-threaded GEMMs at once
    /// (<see cref="GemmOnThisThread"/>), and sets the caller to one thread before the others start.
    /// </summary>
    public static Lock.Scope SingleThreadedSection()
    {
        var scope = Gate.EnterScope();
        UseOneThread();
        return scope;
    }

    /// <summary>
    /// C[m, n] = alpha·A[m, k]·op(B) + beta·C, all row-major with leading dimensions (row strides) lda, ldb, ldc;
    /// op(B) is B [k, n], or Bᵀ for B stored [n, k]. One OpenBLAS thread, only inside a
    /// <see cref="SingleThreadedSection"/>, from any thread of its job. Setting one thread, after the section
    /// already set it on the caller, releases no buffer, so these calls cannot disturb each other.
    /// </summary>
    public static void GemmOnThisThread(bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        UseOneThread();
        cblas_sgemm(RowMajor, NoTranspose, transposeB ? Transpose : NoTranspose, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Sets one thread for GEMMs called from this thread (a no-op when it is already set).</summary>
    private static void UseOneThread()
    {
        if (!t_single || !s_single)
        {
            openblas_set_num_threads(1);
            t_single = true;
            s_single = true;
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
