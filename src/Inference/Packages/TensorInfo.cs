namespace MusicSearch.Inference.Packages;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the start of the data section.</summary>
public sealed record TensorInfo(string Name, TensorDType DType, IReadOnlyList<long> Shape, long DataOffset, long ByteLength)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape)
            {
                count = checked(count * dim);
            }
            return count;
        }
    }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
