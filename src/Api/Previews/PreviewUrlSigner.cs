using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Previews;

public enum PreviewSignature
{
    Valid,

    /// <summary>The signature does not match the track and expiry (tampered with, or made with another secret).</summary>
    Invalid,

    /// <summary>The signature matches but the URL's time is up.</summary>
    Expired,
}

/// <summary>
/// Issues and checks <c>/audio/{id}?exp=…&amp;sig=…</c>: an <c>&lt;audio src&gt;</c> cannot send the key header, so the
/// Api hands out short-lived URLs signed with HMAC-SHA256 over the track id and the expiry (Unix seconds). Checks compare
/// in constant time and look at the expiry only after the signature matched, so a forged URL learns nothing.
/// </summary>
public sealed class PreviewUrlSigner
{
    private readonly byte[] _secret;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public PreviewUrlSigner(IOptions<PreviewOptions> options, TimeProvider time, ILogger<PreviewUrlSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (settings.Lifetime <= TimeSpan.Zero || settings.Lifetime > TimeSpan.FromDays(1))
        {
            throw new OptionsValidationException(PreviewOptions.Section, typeof(PreviewOptions), [$"Previews:Lifetime must be positive and at most a day, got {settings.Lifetime}"]);
        }
        if (settings.Secret is null)
        {
            _secret = RandomNumberGenerator.GetBytes(32);
            PreviewLog.EphemeralSecret(logger);
        }
        else
        {
            _secret = Encoding.UTF8.GetBytes(settings.Secret);
            if (_secret.Length < 32)
            {
                throw new OptionsValidationException(PreviewOptions.Section, typeof(PreviewOptions), ["Previews:Secret must have at least 32 bytes"]);
            }
        }
        _lifetime = settings.Lifetime;
        _time = time;
    }

    /// <summary>The relative preview URL of a track, valid for <see cref="PreviewOptions.Lifetime"/> from now.</summary>
    public string Issue(TrackId trackId)
    {
        var expires = _time.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds();
        return $"/audio/{Uri.EscapeDataString(trackId.Value)}?exp={expires.ToString(CultureInfo.InvariantCulture)}&sig={Sign(trackId, expires)}";
    }

    public PreviewSignature Check(TrackId trackId, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signature is null)
        {
            return PreviewSignature.Invalid;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(trackId, seconds));
        var given = Encoding.ASCII.GetBytes(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return PreviewSignature.Invalid;
        }
        return _time.GetUtcNow().ToUnixTimeSeconds() < seconds ? PreviewSignature.Valid : PreviewSignature.Expired;
    }

    private string Sign(TrackId trackId, long expires)
    {
        // A separator that cannot occur in the decimal expiry keeps "id1" + "23…" apart from "id" + "123…".
        var message = Encoding.UTF8.GetBytes($"{expires.ToString(CultureInfo.InvariantCulture)}\n{trackId.Value}");
        return Base64Url.EncodeToString(HMACSHA256.HashData(_secret, message));
    }
}

internal static partial class PreviewLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Previews:Secret is not set: preview URLs are signed with a random secret and stop working when this process restarts or on other replicas")]
    public static partial void EphemeralSecret(ILogger logger);
}
