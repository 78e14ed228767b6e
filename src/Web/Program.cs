using MusicSearch.Web;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddJsonConsole();
builder.Services.AddEditorUi(builder.Configuration);

var app = builder.Build();
app.MapEditorUi();
app.Run();

/// <summary>Entry point type, public so integration tests can host the app.</summary>
public partial class Program;
