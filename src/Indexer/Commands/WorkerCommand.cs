using System.CommandLine;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Hosting;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch worker --package DIR [--store DIR | --Store:Kind=Qdrant --Store:Qdrant:Url=URL] [--transport RabbitMq --rabbit-host H …] [--urls URL] [--Section:Key=value …]</c>:
/// runs the indexing pipeline until SIGTERM or Ctrl+C. Options are shorthands for configuration keys; every other
/// setting comes from appsettings.json, environment variables (<c>Indexer__BatchMessageLimit=32</c>) or
/// <c>--Indexer:BatchMessageLimit=32</c> on the command line.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(TextWriter error)
    {
        var package = new Option<DirectoryInfo>("--package") { Description = "The model package folder the worker embeds with.", Required = true };
        var store = new Option<DirectoryInfo?>("--store") { Description = "The embedded track store's folder (Store:Directory); Store:Kind=Qdrant with Store:Qdrant:Url uses Qdrant instead." };
        var transport = new Option<string>("--transport") { Description = "InMemory or RabbitMq.", DefaultValueFactory = _ => "RabbitMq" };
        var host = new Option<string?>("--rabbit-host") { Description = "RabbitMQ host (Bus:RabbitMq:Host)." };
        var port = new Option<int?>("--rabbit-port") { Description = "RabbitMQ port (Bus:RabbitMq:Port)." };
        var virtualHost = new Option<string?>("--rabbit-vhost") { Description = "RabbitMQ virtual host (Bus:RabbitMq:VirtualHost)." };
        var user = new Option<string?>("--rabbit-user") { Description = "RabbitMQ user (Bus:RabbitMq:Username)." };
        var password = new Option<string?>("--rabbit-password") { Description = "RabbitMQ password (Bus:RabbitMq:Password); prefer the environment variable Bus__RabbitMq__Password." };
        var urls = new Option<string>("--urls") { Description = "Where /metrics and /health listen.", DefaultValueFactory = _ => "http://127.0.0.1:9464" };
        var command = new Command("worker", "Run the indexing worker: consume IndexTrack, RemoveTrack and ReindexCatalog until stopped.")
        {
            package, store, transport, host, port, virtualHost, user, password, urls,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Indexer:Package"] = parse.GetValue(package)!.FullName,
                ["Bus:Transport"] = parse.GetValue(transport),
                ["Urls"] = parse.GetValue(urls),
            };
            AddIfGiven(settings, TrackStores.DirectoryKey, parse.GetValue(store)?.FullName);
            AddIfGiven(settings, "Bus:RabbitMq:Host", parse.GetValue(host));
            AddIfGiven(settings, "Bus:RabbitMq:Port", parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            AddIfGiven(settings, "Bus:RabbitMq:VirtualHost", parse.GetValue(virtualHost));
            AddIfGiven(settings, "Bus:RabbitMq:Username", parse.GetValue(user));
            AddIfGiven(settings, "Bus:RabbitMq:Password", parse.GetValue(password));
            await using var app = WorkerHost.Build([.. parse.UnmatchedTokens], settings);
            // The host handles SIGTERM and Ctrl+C itself and stops gracefully.
            await app.RunAsync();
        }));
        return command;
    }

    private static void AddIfGiven(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[key] = value;
        }
    }
}
