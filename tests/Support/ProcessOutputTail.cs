namespace MusicSearch.Testing;

/// <summary>The last lines a child process wrote, kept for the error message when it fails; safe across reader threads.</summary>
internal sealed class ProcessOutputTail(int capacity)
{
    private readonly Queue<string> lines = new(capacity);

    public void Add(string line)
    {
        lock (lines)
        {
            if (lines.Count == capacity)
            {
                lines.Dequeue();
            }
            lines.Enqueue(line);
        }
    }

    public override string ToString()
    {
        lock (lines)
        {
            return string.Join(Environment.NewLine, lines);
        }
    }
}
