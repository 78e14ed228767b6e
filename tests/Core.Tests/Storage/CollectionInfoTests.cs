using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage;

public sealed class CollectionInfoTests
{
    [Theory]
    [InlineData("musicfm-330m", "tracks_musicfm-330m")]
    [InlineData("MERT_v1", "tracks_MERT_v1")]
    [InlineData("musicfm/330m v2.1", "tracks_musicfm_330m_v2_1")]
    [InlineData("é€:*", "tracks_____")]
    public void A_collection_is_named_after_its_model_version_with_only_safe_characters(string modelVersion, string expected) =>
        Assert.Equal(expected, CollectionInfo.NameFor(modelVersion));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_model_version_has_no_collection(string modelVersion) =>
        Assert.ThrowsAny<ArgumentException>(() => CollectionInfo.NameFor(modelVersion));

    [Fact]
    public void Model_versions_are_at_most_128_characters()
    {
        Assert.Equal(7 + 128, CollectionInfo.NameFor(new string('v', 128)).Length);
        Assert.Throws<ArgumentException>(() => CollectionInfo.NameFor(new string('v', 129)));
    }
}
