using System.Buffers.Binary;

namespace Batcher.Format;

/// <summary>
/// The forced-queue entries a batch consumes (format version 2, docs/batch-format.md, "Forced entries"):
/// entries <see cref="From"/> to <see cref="Through"/> (exclusive), in queue order, each with what the sequencer
/// made of it. It sits right after the fixed header, uncompressed, so a reader needs no body to check it.
/// </summary>
public sealed record ForcedSection(ulong From, IReadOnlyList<ForcedSectionEntry> Entries)
{
    /// <summary>Bytes of one entry: u8 outcome, u64 sequence, u64 position.</summary>
    public const int EntryLength = 17;

    /// <summary>Upper bound on entries per batch, so a hostile batch cannot make a reader allocate without limit.</summary>
    public const int MaxEntries = 1 << 20;

    public static readonly ForcedSection None = new(0, []);

    public ulong Through => From + (ulong)Entries.Count;

    public int Length => 12 + (EntryLength * Entries.Count);

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, From);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Entries.Count);
        var at = 12;
        foreach (var entry in Entries)
        {
            destination[at] = entry.Outcome;
            BinaryPrimitives.WriteUInt64BigEndian(destination[(at + 1)..], entry.Sequence);
            BinaryPrimitives.WriteUInt64BigEndian(destination[(at + 9)..], entry.Position);
            at += EntryLength;
        }
    }

    /// <summary>Reads the section at the start of <paramref name="bytes"/>; <paramref name="length"/> is how many bytes it took.</summary>
    public static ForcedSection Read(ReadOnlySpan<byte> bytes, out int length)
    {
        if (bytes.Length < 12)
        {
            throw new BatchFormatException($"version-2 batch ends inside its forced-entry section ({bytes.Length} bytes left, 12 needed)");
        }

        var from = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var count = BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]);
        if (count > MaxEntries || bytes.Length < 12 + ((long)count * EntryLength))
        {
            throw new BatchFormatException($"forced-entry section declares {count} entries, more than the batch holds");
        }

        var entries = new ForcedSectionEntry[count];
        var at = 12;
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new ForcedSectionEntry(bytes[at], BinaryPrimitives.ReadUInt64BigEndian(bytes[(at + 1)..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[(at + 9)..]));
            at += EntryLength;
        }

        length = at;
        return new ForcedSection(from, entries);
    }
}

/// <summary>
/// One consumed forced entry: <see cref="Outcome"/> 0 = included at <see cref="Sequence"/>, otherwise skipped for that
/// reason; <see cref="Position"/> is the chain's next sequence when it was judged (a skip's <see cref="Sequence"/> equals it).
/// </summary>
public readonly record struct ForcedSectionEntry(byte Outcome, ulong Sequence, ulong Position);
