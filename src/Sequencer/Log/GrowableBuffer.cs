using System.Buffers;

namespace Sequencer.Log;

/// <summary>A reusable byte buffer that grows from the shared pool and is cleared, not freed, between uses.</summary>
internal sealed class GrowableBuffer(int initialCapacity)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _length;

    public int Length => _length;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_length, size);
    }

    public void Advance(int count) => _length += count;

    public void Clear() => _length = 0;
}
