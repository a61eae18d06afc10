using System.Text;
using System.Text.Json;

namespace Batcher.Pipeline;

/// <summary>
/// The batcher's record of every batch it made (<c>batcher-journal.jsonl</c> in the data directory): one
/// JSON line per batch, appended and fsynced before the checkpoint moves past the batch. With L1 posting
/// off it is where batches are "posted"; with L1 on it is what lets the batcher post the very same batches
/// again when L1 loses them (a reset, a reorg deeper than the confirmation depth). A later line for an
/// index replaces an earlier one (a batch built again after a crash, or stored again in DA).
/// </summary>
public sealed class BatchJournal(string path)
{
    private const int ChunkBytes = 64 * 1024;

    public string Path { get; } = path;

    public async Task AppendAsync(IEnumerable<BatchRecord> records, CancellationToken cancellationToken)
    {
        var lines = new StringBuilder();
        foreach (var record in records)
        {
            lines.Append(JsonSerializer.Serialize(record, BatchRecordJson.Default.BatchRecord)).Append('\n');
        }

        // Durable before the checkpoint moves past these batches: a line lost in a crash would be a stored
        // batch that nothing points to. (The checkpoint's fsync of the data directory covers a new journal file.)
        await using var journal = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        await journal.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellationToken).ConfigureAwait(false);
        journal.Flush(flushToDisk: true);
    }

    /// <summary>
    /// The latest record of each batch index in [<paramref name="from"/>, <paramref name="to"/>), read from the
    /// end of the file backwards: batches L1 lost are the recent ones, so a long journal is read only as far
    /// back as they go. Indices the journal does not hold are missing from the result.
    /// </summary>
    public Dictionary<ulong, BatchRecord> ReadLatest(ulong from, ulong to)
    {
        var found = new Dictionary<ulong, BatchRecord>();
        if (to <= from || !File.Exists(Path))
        {
            return found;
        }

        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var position = stream.Length;
        var carry = Array.Empty<byte>();
        var last = true;
        while (position > 0 && (ulong)found.Count < to - from)
        {
            var size = (int)Math.Min(ChunkBytes, position);
            position -= size;
            var chunk = new byte[size + carry.Length];
            stream.Position = position;
            stream.ReadExactly(chunk, 0, size);
            carry.CopyTo(chunk, size);

            // Lines that end in this chunk, newest first; the part before the first newline may continue into
            // the previous chunk, so it waits for it (unless this is the file's start).
            var end = chunk.Length;
            for (var i = chunk.Length - 1; i >= 0; i--)
            {
                if (chunk[i] == (byte)'\n')
                {
                    Take(chunk.AsSpan(i + 1, end - i - 1), from, to, found, ref last);
                    end = i;
                }
            }

            carry = chunk[..end];
        }

        if (position == 0)
        {
            Take(carry, from, to, found, ref last);
        }

        return found;
    }

    private void Take(ReadOnlySpan<byte> line, ulong from, ulong to, Dictionary<ulong, BatchRecord> found, ref bool last)
    {
        if (line.Trim((byte)' ').IsEmpty)
        {
            return;
        }

        BatchRecord record;
        try
        {
            record = JsonSerializer.Deserialize(line, BatchRecordJson.Default.BatchRecord)
                ?? throw new InvalidDataException($"batch journal {Path} has a null line");
        }
        catch (JsonException) when (last)
        {
            // A line torn by a crash mid-append: the checkpoint never moved past its batch.
            last = false;
            return;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"batch journal {Path} has a line that is not a batch record: {e.Message}", e);
        }

        last = false;
        if (record.BatchIndex >= from && record.BatchIndex < to)
        {
            found.TryAdd(record.BatchIndex, record);
        }
    }
}
