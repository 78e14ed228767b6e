using MusicSearch.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMusicSearchApi();

var app = builder.Build();
app.UseMusicSearchApi();
app.Run();

/// <summary>Entry point type, public so integration tests can host the Api.</summary>
public partial class Program;
