using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Previews;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Tests.Previews;

public sealed class PreviewUrlSignerTests
{
    private const string Secret = "a-secret-of-at-least-thirty-two-bytes!!";

    [Fact]
    public void A_url_is_valid_until_its_expiry_and_expired_after()
    {
        var clock = new Clock(DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var signer = Signer(clock, Secret);
        var (exp, sig) = Parts(signer.Issue(new TrackId("a b/c")));
        Assert.Equal(clock.Now.AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), exp);

        Assert.Equal(PreviewSignature.Valid, signer.Check(new TrackId("a b/c"), exp, sig));
        clock.Now = clock.Now.AddMinutes(5);
        Assert.Equal(PreviewSignature.Expired, signer.Check(new TrackId("a b/c"), exp, sig));
    }

    [Fact]
    public void Another_secret_track_or_expiry_invalidates_the_signature()
    {
        var clock = new Clock(DateTimeOffset.UtcNow);
        var signer = Signer(clock, Secret);
        var (exp, sig) = Parts(signer.Issue(new TrackId("t1")));
        Assert.Equal(PreviewSignature.Invalid, Signer(clock, Secret + "x").Check(new TrackId("t1"), exp, sig));
        Assert.Equal(PreviewSignature.Invalid, signer.Check(new TrackId("t10"), exp, sig));
        Assert.Equal(PreviewSignature.Invalid, signer.Check(new TrackId("t1"), exp + "0", sig));
        Assert.Equal(PreviewSignature.Invalid, signer.Check(new TrackId("t1"), "-1", sig));
        Assert.Equal(PreviewSignature.Invalid, signer.Check(new TrackId("t1"), exp, null));
        Assert.Equal(PreviewSignature.Invalid, signer.Check(new TrackId("t1"), exp, sig[..^2]));
    }

    [Fact]
    public void A_short_secret_is_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Signer(new Clock(DateTimeOffset.UtcNow), "too short"));
        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
    }

    private static PreviewUrlSigner Signer(TimeProvider clock, string secret) =>
        new(Options.Create(new PreviewOptions { Secret = secret, Lifetime = TimeSpan.FromMinutes(5) }), clock, NullLogger<PreviewUrlSigner>.Instance);

    private static (string Exp, string Sig) Parts(string url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + url).Query);
        Assert.StartsWith("/audio/", url, StringComparison.Ordinal);
        return (query["exp"]!, query["sig"]!);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
