using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MusicSearch.Api.Security;

/// <summary>A configured key as the Api knows it once the request's key matched: its owner's name and role.</summary>
public sealed record ApiKeyHolder(string Name, string Role);

/// <summary>
/// The configured keys, kept only as SHA-256 hashes. A presented key is hashed and compared with every configured hash
/// in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), all of them each time, so neither the
/// key's bytes nor which entry matched show in the response time.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly (byte[] Hash, ApiKeyHolder Holder)[] _keys;

    /// <exception cref="OptionsValidationException">Every problem of the <c>Auth:Keys</c> entries, at once.</exception>
    public ApiKeyRing(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var keys = new List<(byte[], ApiKeyHolder)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Value.Keys.Count; i++)
        {
            var key = options.Value.Keys[i];
            var where = $"Auth:Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                problems.Add($"{where}:Name is required (it names the key in logs and rate limits)");
            }
            else if (!names.Add(key.Name))
            {
                problems.Add($"{where}:Name '{key.Name}' is used by another key");
            }
            if (!ApiRoles.IsKnown(key.Role))
            {
                problems.Add($"{where}:Role must be reader, editor or admin, got '{key.Role}'");
            }
            if (Hash(key, where, problems) is { } hash && ApiRoles.IsKnown(key.Role))
            {
                keys.Add((hash, new ApiKeyHolder(key.Name, key.Role)));
            }
        }
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), problems);
        }
        _keys = [.. keys];
    }

    public int Count => _keys.Length;

    /// <summary>The holder of <paramref name="presented"/>, or null when no configured key matches.</summary>
    public ApiKeyHolder? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        ApiKeyHolder? found = null;
        foreach (var (candidate, holder) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                found = holder;
            }
        }
        return found;
    }

    private static byte[]? Hash(ApiKeyOptions key, string where, List<string> problems)
    {
        if (key.Key is not null == key.KeySha256 is not null)
        {
            problems.Add($"{where} needs exactly one of Key and KeySha256");
            return null;
        }
        if (key.Key is { } plain)
        {
            // Short keys can be guessed; the hash comparison does not slow guessing down.
            if (plain.Length < 16)
            {
                problems.Add($"{where}:Key must have at least 16 characters");
                return null;
            }
            return SHA256.HashData(Encoding.UTF8.GetBytes(plain));
        }
        try
        {
            var hash = Convert.FromHexString(key.KeySha256!);
            if (hash.Length == SHA256.HashSizeInBytes)
            {
                return hash;
            }
        }
        catch (FormatException)
        {
        }
        problems.Add($"{where}:KeySha256 must be 64 hex digits (sha256sum of the key)");
        return null;
    }
}
