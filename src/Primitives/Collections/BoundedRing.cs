namespace Primitives.Collections;

/// <summary>
/// The latest <see cref="Capacity"/> items added, the oldest overwritten: for in-process histories whose memory must not
/// grow with traffic (the console's recent decisions and its last hour of samples). Thread-safe; readers get copies.
/// </summary>
public sealed class BoundedRing<T>
{
    private readonly Lock _lock = new();
    private readonly T[] _ring;
    private int _next;
    private int _count;

    public BoundedRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new T[capacity];
    }

    public int Capacity => _ring.Length;

    public void Add(T item)
    {
        lock (_lock)
        {
            _ring[_next] = item;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>Up to <paramref name="count"/> of the latest items, oldest first (the order they were added in).</summary>
    public T[] Latest(int count)
    {
        lock (_lock)
        {
            var take = Math.Clamp(count, 0, _count);
            var result = new T[take];
            for (var i = 0; i < take; i++)
            {
                result[i] = _ring[(_next - take + i + _ring.Length) % _ring.Length];
            }

            return result;
        }
    }
}
