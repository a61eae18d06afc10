namespace Sequencer.Sequencing;

/// <summary>
/// A list with one writer and many lock-free readers: items live in fixed-size chunks that never
/// move, so a reader holding an index below <see cref="Count"/> always finds its item. (List&lt;T&gt;
/// reallocates on growth and cannot be read while it is written.)
/// </summary>
internal sealed class AppendOnlyList<T> where T : class
{
    private const int ChunkBits = 14;
    private const int ChunkSize = 1 << ChunkBits;

    private T[][] _chunks = [new T[ChunkSize]];
    private long _count;

    public long Count => Volatile.Read(ref _count);

    /// <summary>Writer only.</summary>
    public void Add(T item)
    {
        var index = _count;
        var chunk = (int)(index >> ChunkBits);
        var chunks = _chunks;
        if (chunk == chunks.Length)
        {
            var grown = new T[chunks.Length * 2][];
            Array.Copy(chunks, grown, chunks.Length);
            grown[chunk] = new T[ChunkSize];
            Volatile.Write(ref _chunks, grown);
            chunks = grown;
        }
        else if (chunks[chunk] is null)
        {
            chunks[chunk] = new T[ChunkSize];
        }

        chunks[chunk][index & (ChunkSize - 1)] = item;
        Volatile.Write(ref _count, index + 1);
    }

    public T? Get(long index)
    {
        if ((ulong)index >= (ulong)Count)
        {
            return null;
        }

        var chunks = Volatile.Read(ref _chunks);
        return chunks[index >> ChunkBits][index & (ChunkSize - 1)];
    }
}
