using Microsoft.Extensions.Options;
using MusicSearch.Web.Hosting;

namespace MusicSearch.Web.Security;

/// <summary>Checks editors' credentials against the configured accounts.</summary>
public sealed partial class EditorDirectory(IOptionsMonitor<WebOptions> options, ILogger<EditorDirectory> logger)
{
    /// <summary>A hash of a throw-away password, checked when the user is unknown so both failures take the same time.</summary>
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHash.Create("decoy"));

    /// <returns>The account's user name as configured, or null when the credentials do not match.</returns>
    public string? Authenticate(string? user, string? password)
    {
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
        {
            return null;
        }
        var account = options.CurrentValue.Editors.FirstOrDefault(editor => string.Equals(editor.User, user.Trim(), StringComparison.OrdinalIgnoreCase));
        if (account is null)
        {
            _ = PasswordHash.Verify(password, DecoyHash.Value);
            LogRefused(logger, user);
            return null;
        }
        if (!PasswordHash.Verify(password, account.PasswordHash))
        {
            LogRefused(logger, account.User);
            return null;
        }
        LogSignedIn(logger, account.User);
        return account.User;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {User}")]
    private static partial void LogRefused(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Editor {User} signed in")]
    private static partial void LogSignedIn(ILogger logger, string user);
}
