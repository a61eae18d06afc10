using Microsoft.Win32.SafeHandles;

namespace Sequencer.Log;

/// <summary>
/// Reads valid records one after another from a position of the log on, crossing into later segments, through a
/// reusable window buffer (never a whole segment in memory). For records already known durable (the history index,
/// the replay after a checkpoint): any frame that does not read back valid is damage and throws.
/// </summary>
internal sealed class WalSegmentReader : IDisposable
{
    private readonly List<(long FirstSequence, string Path)> _segments;
    private int _segmentIndex;
    private SafeFileHandle? _handle;
    private long _fileLength;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;

    /// <param name="walDirectory">The log.</param>
    /// <param name="segmentFirstSequence">The segment to start in.</param>
    /// <param name="offset">Where the first record to read starts.</param>
    /// <param name="singleRecord">Reading one record: a small buffer, and no listing of the later segments.</param>
    public WalSegmentReader(string walDirectory, long segmentFirstSequence, long offset, bool singleRecord = false)
    {
        _buffer = new byte[singleRecord ? 4096 : 1 << 20];
        _segments = singleRecord ? [(segmentFirstSequence, WalSegments.PathFor(walDirectory, segmentFirstSequence))] : WalSegments.List(walDirectory);
        _segmentIndex = _segments.FindIndex(s => s.FirstSequence == segmentFirstSequence);
        if (_segmentIndex < 0)
        {
            throw new WalCorruptedException($"write-ahead log segment {WalSegments.PathFor(walDirectory, segmentFirstSequence)} is missing");
        }

        Open();
        if (offset > _fileLength)
        {
            throw new WalCorruptedException($"write-ahead log segment {SegmentPath} ends at {_fileLength}, before offset {offset}");
        }

        Offset = offset;
    }

    /// <summary>The segment of the next record.</summary>
    public long Segment => _segments[_segmentIndex].FirstSequence;

    /// <summary>Where the next record starts in <see cref="Segment"/>.</summary>
    public long Offset { get; private set; }

    public string SegmentPath => _segments[_segmentIndex].Path;

    /// <summary>The next record; false at the end of the log. The payload is valid until the next call.</summary>
    public bool TryNext(out WalFrameHeader header, out ReadOnlySpan<byte> payload)
    {
        while (Offset == _fileLength)
        {
            if (_segmentIndex == _segments.Count - 1)
            {
                header = default;
                payload = default;
                return false;
            }

            _segmentIndex++;
            Open();
            Offset = 0;
        }

        Fill(WalFrame.HeaderBytes);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan((int)(Offset - _bufferStart) + 4));
        Fill(WalFrame.HeaderBytes + (int)Math.Min(length, WalFrame.MaxPayloadBytes));
        var at = (int)(Offset - _bufferStart);
        var status = WalFrame.Read(_buffer.AsSpan(0, _bufferLength), at, _bufferStart, out header);
        if (status != FrameStatus.Valid)
        {
            throw new WalCorruptedException($"write-ahead log segment {SegmentPath} at offset {Offset}: record does not read back ({status})");
        }

        payload = _buffer.AsSpan(at + WalFrame.HeaderBytes, header.PayloadLength);
        Offset += header.FramedLength;
        return true;
    }

    public void Dispose() => _handle?.Dispose();

    private void Open()
    {
        _handle?.Dispose();
        _handle = File.OpenHandle(SegmentPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _fileLength = RandomAccess.GetLength(_handle);
        _bufferStart = 0;
        _bufferLength = 0;
    }

    /// <summary>Makes the buffer hold <paramref name="count"/> bytes from <see cref="Offset"/> (fewer at the end of the file).</summary>
    private void Fill(int count)
    {
        if (Offset >= _bufferStart && Offset + count <= _bufferStart + _bufferLength)
        {
            return;
        }

        if (count > _buffer.Length)
        {
            _buffer = new byte[count];
        }

        _bufferStart = Offset;
        _bufferLength = 0;
        var want = (int)Math.Min(_buffer.Length, _fileLength - Offset);
        while (_bufferLength < want)
        {
            var read = RandomAccess.Read(_handle!, _buffer.AsSpan(_bufferLength, want - _bufferLength), _bufferStart + _bufferLength);
            if (read == 0)
            {
                break;
            }

            _bufferLength += read;
        }
    }
}
