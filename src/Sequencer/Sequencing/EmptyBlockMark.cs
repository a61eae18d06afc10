using System.Buffers.Binary;
using Primitives.Storage;

namespace Sequencer.Sequencing;

/// <summary>
/// The highest block number this data directory's host may have shown anyone (<c>empty-head</c>, 8 bytes, written
/// atomically and durably before the empty blocks it covers are published). Empty blocks are not logged, so after a
/// restart only this says how far the previous run's empty blocks went: the start's catch-up must seal up to it before a
/// transaction takes a block number (those blocks keep their numbers and hashes, also in batches already posted), and
/// past it a waiting transaction need not wait for the rest (the time the host was down: nobody saw those blocks).
/// </summary>
internal sealed class EmptyBlockMark(string dataDirectory, bool durable)
{
    public const string FileName = "empty-head";

    private string Path => System.IO.Path.Combine(dataDirectory, FileName);

    /// <summary>
    /// The mark left by the last run, or null when there is none: a data directory a host without this file ran on (an
    /// older version) may have shown any number of empty blocks, so the caller then catches up to the clock as before.
    /// </summary>
    public ulong? Read()
    {
        try
        {
            var bytes = File.ReadAllBytes(Path);
            return bytes.Length == sizeof(ulong) ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Blocks up to <paramref name="number"/> may be shown from now on; durable when this returns.</summary>
    public void Write(ulong number)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, number);
        AtomicFile.Write(Path, bytes, durable);
    }
}
