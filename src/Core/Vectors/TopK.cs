namespace MusicSearch.Core.Vectors;

/// <summary>
/// A bounded min-heap over a caller's span: the root is the worst match kept (lowest score, then highest row), so a new
/// match only needs comparing against it. No allocation; the span is the storage.
/// </summary>
internal static class TopK
{
    public static bool Worse(VectorMatch a, VectorMatch b) => a.Score < b.Score || (a.Score == b.Score && a.Row > b.Row);

    /// <summary>
    /// The score a row must reach to be worth offering: below it a full heap rejects any row. An equal score enters
    /// only with a lower row than the worst kept, which <see cref="Offer"/> decides, so scans may visit rows in any order.
    /// </summary>
    public static float Threshold(ReadOnlySpan<VectorMatch> heap, int count) => count < heap.Length ? float.NegativeInfinity : heap[0].Score;

    public static void Offer(Span<VectorMatch> heap, ref int count, VectorMatch match)
    {
        if (count < heap.Length)
        {
            var i = count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!Worse(match, heap[parent]))
                {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = match;
        }
        else if (count > 0 && Worse(heap[0], match))
        {
            SiftDown(heap[..count], match);
        }
    }

    /// <summary>
    /// Heap-sorts a heap built by <see cref="Offer"/> in place: popping the worst to the back leaves the best first.
    /// (Span.Sort with a comparer would allocate a delegate per call.)
    /// </summary>
    public static void SortDescending(Span<VectorMatch> heap)
    {
        for (var end = heap.Length - 1; end > 0; end--)
        {
            var worst = heap[0];
            SiftDown(heap[..end], heap[end]);
            heap[end] = worst;
        }
    }

    private static void SiftDown(Span<VectorMatch> heap, VectorMatch match)
    {
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= heap.Length)
            {
                break;
            }
            if (child + 1 < heap.Length && Worse(heap[child + 1], heap[child]))
            {
                child++;
            }
            if (!Worse(heap[child], match))
            {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = match;
    }
}
