namespace MusicSearch.Web.Security;

/// <summary>An editor who may sign in; the configuration holds only the password's PBKDF2 hash.</summary>
public sealed class EditorAccount
{
    public string User { get; set; } = "";

    /// <summary>As written by <c>dotnet run --project src/Web -- hash-password</c>.</summary>
    public string PasswordHash { get; set; } = "";
}
