using Sequencer.ForcedInclusion;

namespace Sequencer.Tests.ForcedInclusion;

/// <summary>The sequencer's record of judged forced entries: durable lines in queue order, read back after a restart.</summary>
public sealed class ForcedInclusionJournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("forced-journal-").FullName;

    [Fact]
    public async Task Decisions_survive_a_reopen_and_a_torn_last_line_is_cut()
    {
        using (var journal = new ForcedInclusionJournal(_directory))
        {
            journal.Append(Line(0, position: 3, sequence: 3));
            journal.Append(Line(1, position: 5, sequence: 5, reason: "nonce_too_low: nonce too low"));
        }

        await File.AppendAllTextAsync(Path.Combine(_directory, ForcedInclusionJournal.FileName), "{\"queueIndex\":2,\"txHa");
        using var reopened = new ForcedInclusionJournal(_directory);

        Assert.Equal(2UL, reopened.Count);
        Assert.Equal(5UL, reopened.LastPosition);
        Assert.Equal("nonce_too_low: nonce too low", reopened.Lines[1].Reason);
        reopened.Append(Line(2, position: 6, sequence: 6));
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(_directory, ForcedInclusionJournal.FileName))).Length);
    }

    [Fact]
    public void An_entry_out_of_queue_order_is_refused_and_nothing_is_written()
    {
        using var journal = new ForcedInclusionJournal(_directory);
        journal.Append(Line(0, 1, 1));

        var error = Assert.Throws<InvalidOperationException>(() => journal.Append(Line(2, 2, 2)));

        Assert.Contains("journal expects entry 1", error.Message);
        Assert.Equal(1UL, journal.Count);
    }

    [Fact]
    public async Task The_batcher_gets_entries_judged_below_its_end_and_waits_for_an_entry_being_judged()
    {
        using var journal = new ForcedInclusionJournal(_directory);
        journal.Append(Line(0, position: 2, sequence: 2));
        journal.Append(Line(1, position: 4, sequence: 4, reason: "wrong_chain_id: x"));

        Assert.Single(await journal.DecidedBeforeAsync(4, CancellationToken.None));
        Assert.Equal(2, (await journal.DecidedBeforeAsync(5, CancellationToken.None)).Count);

        journal.BeginJudging();
        var waiting = journal.DecidedBeforeAsync(10, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        journal.Append(Line(2, position: 7, sequence: 7));

        Assert.Equal(3, (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Count);
        Assert.Equal([1UL], journal.Decided(1, 2).Select(d => d.QueueIndex));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ForcedDecisionLine Line(ulong index, ulong position, ulong sequence, string? reason = null) =>
        new(index, "0x" + new string('a', 63) + index.ToString(System.Globalization.CultureInfo.InvariantCulture), 100 + index, position,
            reason is null ? (byte)0 : (byte)0x40, sequence, reason);
}
