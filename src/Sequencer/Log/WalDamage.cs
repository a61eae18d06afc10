using System.Globalization;

namespace Sequencer.Log;

/// <summary>
/// The first bad record of a segment and what it is: a torn write (the tail of a write whose fsync never returned,
/// so nothing in it was confirmed) or damage to records that may have been confirmed.
/// </summary>
/// <param name="Segment">Path of the segment file.</param>
/// <param name="Offset">Byte offset of the bad record in the segment.</param>
/// <param name="Sequence">The sequence the bad record should hold (the one after the last good record).</param>
/// <param name="Problem">What is wrong with the record itself.</param>
/// <param name="IsTornWrite">True only if every byte from <paramref name="Offset"/> on can be the unfinished last write.</param>
/// <param name="Reason">Why: the evidence for or against a torn write.</param>
/// <param name="ValidAfter">Valid records found after the bad one in this segment.</param>
/// <param name="SegmentLength">Length of the segment file.</param>
internal sealed record WalDamage(
    string Segment,
    int Offset,
    long Sequence,
    string Problem,
    bool IsTornWrite,
    string Reason,
    WalRecordsFound ValidAfter,
    long SegmentLength)
{
    /// <summary>Bytes from the bad record to the end of the segment.</summary>
    public long BytesFromDamage => SegmentLength - Offset;

    /// <summary>One line for logs and the operator: file, offset, sequence, what is wrong, what follows, why.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Segment} at offset {Offset} (sequence {Sequence}): {Problem}; {ValidAfter.Describe()}; {Reason}");
}

/// <summary>Valid records found by scanning past a bad one.</summary>
internal readonly record struct WalRecordsFound(int Count, int FirstOffset, long FirstSequence, long LastSequence)
{
    public static WalRecordsFound None => new(0, -1, -1, -1);

    public string Describe() => Count == 0
        ? "no valid record follows it in this segment"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Count} valid record{(Count == 1 ? string.Empty : "s")} follow{(Count == 1 ? "s" : string.Empty)} it in this segment (sequences {FirstSequence}..{LastSequence}, the first at offset {FirstOffset})");
}
