namespace MusicSearch.Indexer.Commands.Eval;

/// <summary>How one <c>eval</c> run indexes and queries, shared by every model it compares.</summary>
/// <param name="LibraryRoot">The corpus folder: audio may come from there only.</param>
/// <param name="MaxWindows">Windows per track at most, spread over it; 0 embeds all.</param>
/// <param name="Threads">Compute threads per model; 0 takes one per core.</param>
/// <param name="Batch">Tracks per indexing batch (decoded in parallel, windows embedded together).</param>
/// <param name="ExcerptSeconds">Length of the robustness excerpts.</param>
internal sealed record EvalRunOptions(string LibraryRoot, int MaxWindows, int Threads, int Batch, double ExcerptSeconds);
