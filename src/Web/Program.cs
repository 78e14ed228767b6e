using MusicSearch.Web.Hosting;
using MusicSearch.Web.Security;

if (args is [PasswordHashCommand.Name, ..])
{
    return PasswordHashCommand.Run(Console.In, Console.Out, Console.Error, Console.IsInputRedirected);
}

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddJsonConsole();
builder.AddEditorUi();

var app = builder.Build();
app.MapEditorUi();
app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host the app.</summary>
public partial class Program;
