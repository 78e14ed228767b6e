namespace MusicSearch.Inference.Packages;

/// <summary>
/// A model package (model.json or model.safetensors) is malformed or does not fit its architecture.
/// The message names the file and the offending field or tensor so an operator can fix it.
/// </summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException(string message) : base(message) { }

    public ModelPackageException(string message, Exception innerException) : base(message, innerException) { }

    public ModelPackageException() { }
}
