using MusicSearch.Api;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddJsonConsole();
builder.Services.AddApiHealth(builder.Configuration);

var app = builder.Build();
app.MapApiHealth();
app.Run();

/// <summary>Entry point type, public so integration tests can host the Api.</summary>
public partial class Program;
