using System.Text;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Tests.Packages;

public sealed class SafeTensorsHeaderTests
{
    private static SafeTensorsHeader Parse(string json, long dataLength) =>
        SafeTensorsHeader.Parse(Encoding.UTF8.GetBytes(json), dataLength, "test.safetensors");

    [Fact]
    public void Valid_header_with_padding_metadata_and_zero_sized_tensor_parses()
    {
        var header = Parse(
            """{"__metadata__":{"a":"b"},"w":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,12]},"z":{"dtype":"F32","shape":[0],"data_offsets":[12,12]},"f":{"dtype":"BOOL","shape":[],"data_offsets":[12,13]}}    """,
            13);
        Assert.Equal("b", header.Metadata["a"]);
        Assert.Equal(TensorDType.BF16, header.Tensors["w"].DType);
        Assert.Equal(6, header.Tensors["w"].ElementCount);
        Assert.Equal(1, header.Tensors["f"].ElementCount);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "'a' and 'b' overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "gap of 4 bytes between 'a' and 'b'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "gap of 4 bytes between the start of the data section and 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "4 bytes after the last tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, "past the end of the data section (8 bytes); the file is truncated")]
    [InlineData("""{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", 1, "unknown dtype 'F8_E4M3'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "'shape[0]' must be a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4, "end before they begin")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", 4, "'data_offsets' must have 2 entries")]
    [InlineData("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", 4, "'dtype' is missing")]
    [InlineData("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", 4, "'shape' is missing")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}""", 4, "unknown field 'x'")]
    [InlineData("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""", 1, "names 'a' twice")]
    [InlineData("""{"a":[]}""", 0, "entry must be an object")]
    [InlineData("""{"__metadata__":{"k":1}}""", 0, "'__metadata__.k' must be a string")]
    [InlineData("""[1,2]""", 0, "header must be a JSON object")]
    [InlineData("""{"a":""", 0, "header is not valid JSON")]
    [InlineData("""{} x""", 0, "trailing bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}""", 4, "is too large")]
    public void Malformed_headers_are_rejected_with_a_message_naming_the_problem(string json, long dataLength, string expected)
    {
        var error = Assert.Throws<ModelPackageException>(() => Parse(json, dataLength));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("test.safetensors: ", error.Message);
    }

    [Theory]
    [InlineData(0, 100, "header length is 0")]
    [InlineData(93, 100, "points past the end of the file (100 bytes)")]
    [InlineData(200_000_000, 300_000_000, "exceeds the format's limit")]
    public void Header_length_is_checked_against_the_file(long headerLength, long fileLength, string expected)
    {
        var prefix = BitConverter.GetBytes((ulong)headerLength);
        var error = Assert.Throws<ModelPackageException>(() => SafeTensorsHeader.ReadHeaderLength(prefix, fileLength, "f"));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Header_length_that_fits_is_returned()
    {
        Assert.Equal(92, SafeTensorsHeader.ReadHeaderLength(BitConverter.GetBytes(92UL), 100, "f"));
    }
}
