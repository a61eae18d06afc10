namespace Sequencer.History;

/// <summary>
/// The most recent items of an append-only sequence (transactions by sequence number, blocks by number): one writer
/// appends at the end and drops from the start; readers on any thread look items up by position without locks.
/// </summary>
/// <remarks>
/// A circular array that doubles when full. A reader that races with the writer may read a slot that was just
/// dropped or reused for a newer item, so every item knows its own position and a reader checks it
/// (<see cref="Get"/> returns null then, and the caller reads the item from disk, where every dropped item is).
/// </remarks>
internal sealed class RecentWindow<T>(Func<T, long> positionOf) where T : class
{
    private T?[] _slots = new T?[1024];
    private long _start;
    private long _end;

    /// <summary>Position of the oldest item held.</summary>
    public long Start => Volatile.Read(ref _start);

    /// <summary>Position the next item gets.</summary>
    public long End => Volatile.Read(ref _end);

    public long Count => End - Start;

    /// <summary>Writer only, while empty: the window begins at <paramref name="position"/> (after a checkpoint).</summary>
    public void Reset(long position)
    {
        if (_end != _start)
        {
            throw new InvalidOperationException("the window is not empty");
        }

        Volatile.Write(ref _start, position);
        Volatile.Write(ref _end, position);
    }

    /// <summary>Writer only.</summary>
    public void Add(T item)
    {
        var slots = _slots;
        if (_end - _start == slots.Length)
        {
            var grown = new T?[slots.Length * 2];
            for (var p = _start; p < _end; p++)
            {
                grown[p & (grown.Length - 1)] = slots[p & (slots.Length - 1)];
            }

            Volatile.Write(ref _slots, grown);
            slots = grown;
        }

        Volatile.Write(ref slots[_end & (slots.Length - 1)], item);
        Volatile.Write(ref _end, _end + 1);
    }

    /// <summary>Writer only: the oldest item, or null when empty.</summary>
    public T? Oldest => _end > _start ? _slots[_start & (_slots.Length - 1)] : null;

    /// <summary>Writer only: drops the oldest item.</summary>
    public void DropOldest()
    {
        var slots = _slots;
        Volatile.Write(ref _start, _start + 1);
        slots[(_start - 1) & (slots.Length - 1)] = null;
    }

    public T? Get(long position)
    {
        if (position < Start || position >= End)
        {
            return null;
        }

        var slots = Volatile.Read(ref _slots);
        var item = Volatile.Read(ref slots[position & (slots.Length - 1)]);
        return item is not null && positionOf(item) == position ? item : null;
    }
}
