namespace MusicSearch.Api.Security;

/// <summary>
/// What a key may do: <c>reader</c> (apps: queries, previews), <c>editor</c> (mutations, uploads), <c>admin</c>
/// (everything). Each role includes the ones below it, so a policy names the least role it needs.
/// </summary>
public static class ApiRoles
{
    public const string Reader = "reader";
    public const string Editor = "editor";
    public const string Admin = "admin";

    private static readonly string[] Ladder = [Reader, Editor, Admin];

    public static bool IsKnown(string? role) => role is not null && Array.IndexOf(Ladder, role) >= 0;

    /// <summary>The role itself and every role it includes.</summary>
    public static IReadOnlyList<string> Granted(string role)
    {
        var rank = Array.IndexOf(Ladder, role);
        return rank < 0 ? throw new ArgumentException($"unknown role '{role}' (reader, editor or admin)", nameof(role)) : Ladder[..(rank + 1)];
    }
}
