namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>
/// The operand type of the CUDA backend's GEMMs and convolutions. Activations between ops stay fp32 (the
/// <see cref="Tensors.Tensor"/> contract); every mode accumulates in fp32.
/// </summary>
public enum CudaPrecision
{
    /// <summary>fp32 operands (cuBLASLt's plain fp32 compute, no TF32): the reference mode.</summary>
    Fp32,

    /// <summary>bf16 weights and GEMM inputs, fp32 accumulation and epilogue.</summary>
    Bf16,

    /// <summary>fp16 weights and GEMM inputs, fp32 accumulation and epilogue.</summary>
    Fp16,
}
