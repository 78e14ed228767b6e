using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Security;

namespace MusicSearch.Api.Tests.Security;

public sealed class ApiKeyRingTests
{
    [Fact]
    public void Finds_the_holder_of_a_plain_or_hashed_key_and_nobody_for_anything_else()
    {
        var ring = Ring(
            new ApiKeyOptions { Name = "app", Key = "0123456789abcdef-app", Role = "reader" },
            new ApiKeyOptions { Name = "ui", KeySha256 = Hex("0123456789abcdef-ui"), Role = "editor" });

        Assert.Equal(new ApiKeyHolder("app", "reader"), ring.Find("0123456789abcdef-app"));
        Assert.Equal(new ApiKeyHolder("ui", "editor"), ring.Find("0123456789abcdef-ui"));
        Assert.Null(ring.Find("0123456789abcdef-ap"));
        Assert.Null(ring.Find(""));
        Assert.Null(ring.Find(Hex("0123456789abcdef-ui")));
    }

    [Fact]
    public void Reports_every_bad_entry_at_once_without_echoing_keys()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Ring(
            new ApiKeyOptions { Name = "", Key = "short", Role = "reader" },
            new ApiKeyOptions { Name = "twice", KeySha256 = "xyz", Role = "owner" },
            new ApiKeyOptions { Name = "twice", Key = "0123456789abcdef-x", KeySha256 = Hex("y"), Role = "admin" }));

        Assert.Equal(
        [
            "Auth:Keys:0:Name is required (it names the key in logs and rate limits)",
            "Auth:Keys:0:Key must have at least 16 characters",
            "Auth:Keys:1:Role must be reader, editor or admin, got 'owner'",
            "Auth:Keys:1:KeySha256 must be 64 hex digits (sha256sum of the key)",
            "Auth:Keys:2:Name 'twice' is used by another key",
            "Auth:Keys:2 needs exactly one of Key and KeySha256",
        ], error.Failures);
        Assert.DoesNotContain("0123456789abcdef-x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_include_the_ones_below_them()
    {
        Assert.Equal(["reader"], ApiRoles.Granted("reader"));
        Assert.Equal(["reader", "editor"], ApiRoles.Granted("editor"));
        Assert.Equal(["reader", "editor", "admin"], ApiRoles.Granted("admin"));
        Assert.Throws<ArgumentException>(() => ApiRoles.Granted("root"));
    }

    private static ApiKeyRing Ring(params ApiKeyOptions[] keys)
    {
        var options = new AuthOptions();
        foreach (var key in keys)
        {
            options.Keys.Add(key);
        }
        return new ApiKeyRing(Options.Create(options));
    }

    private static string Hex(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
