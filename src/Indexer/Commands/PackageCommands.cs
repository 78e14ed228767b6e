using System.CommandLine;
using MusicSearch.Inference.Packages;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary><c>musicsearch package inspect DIR</c>: validates a model package and summarises it.</summary>
internal static class PackageCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Argument<DirectoryInfo>("directory") { Description = "The model package folder (model.json + weights)." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the sha256 check of the weights." };
        var inspect = new Command("inspect", "Validate a model package against its architecture and print a summary.") { directory, noVerify };
        inspect.SetAction(parse => Inspect(parse.GetValue(directory)!, !parse.GetValue(noVerify), output, error));

        var package = new Command("package", "Model package tools.");
        package.Subcommands.Add(inspect);
        package.Subcommands.Add(ClassicalFitCommand.Create(output, error));
        return package;
    }

    private static int Inspect(DirectoryInfo directory, bool verify, TextWriter output, TextWriter error)
    {
        try
        {
            using var package = ModelPackage.Open(directory.FullName, verify);
            var manifest = package.Manifest;
            var tensors = package.Weights.Tensors.Values;
            var parameters = tensors.Where(t => t.DType.IsFloatingPoint()).Sum(t => t.ElementCount);
            var required = manifest.Architecture.RequiredTensors(manifest.Config).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

            var table = new Table().AddColumn("field").AddColumn("value");
            table.AddRow("architecture", manifest.Architecture.Name);
            table.AddRow("version", Markup.Escape(manifest.Version));
            table.AddRow("config", Markup.Escape(manifest.Config.ToString()));
            table.AddRow("frontend", manifest.Mel is { } mel
                ? $"mel: {mel.NMels} bands, n_fft {mel.NFft}, hop {mel.HopLength} @ {manifest.SampleRate} Hz"
                : $"waveform @ {manifest.SampleRate} Hz");
            table.AddRow("normalization", manifest.Normalization.Type.ToString());
            table.AddRow("embedding", $"layer {manifest.Embedding.Layer}, {manifest.Embedding.Pooling} pooling, {manifest.Embedding.WindowSeconds} s windows");
            table.AddRow("tensors", $"{tensors.Count()} ({required.Count} required, {tensors.Count(t => !required.Contains(t.Name))} unused by inference)");
            table.AddRow("parameters", parameters.ToString("N0"));
            table.AddRow("sha256", verify && manifest.WeightsSha256 is not null ? "verified" : "not checked");
            CliConsole.For(output).Write(table);
            return 0;
        }
        catch (ModelPackageException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }
}
