namespace MusicSearch.Web.Security;

/// <summary>
/// <c>dotnet run --project src/Web -- hash-password</c>: reads a password (typed without echo, or one line of standard
/// input) and prints the hash to put in <c>Web:Editors:N:PasswordHash</c>.
/// </summary>
public static class PasswordHashCommand
{
    public const string Name = "hash-password";

    public static int Run(TextReader input, TextWriter output, TextWriter error, bool inputRedirected)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? password;
        if (inputRedirected)
        {
            password = input.ReadLine();
        }
        else
        {
            error.Write("Password: ");
            password = ReadHidden();
            error.WriteLine();
        }
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("hash-password: no password given");
            return 2;
        }
        output.WriteLine(PasswordHash.Create(password));
        return 0;
    }

    private static string ReadHidden()
    {
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        return typed.ToString();
    }
}
