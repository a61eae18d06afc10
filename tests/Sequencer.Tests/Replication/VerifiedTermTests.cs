using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

public sealed class VerifiedTermTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("verified-term-").FullName;

    [Fact]
    public void A_log_found_equal_to_a_newer_terms_log_ranks_by_that_term_also_after_a_restart()
    {
        var term = new VerifiedTerm(_directory);
        Assert.Equal(3, term.RankEpoch(lastRecordEpoch: 3, localDurableEnd: 10));

        term.Raise(epoch: 5, end: 10, lastRecordEpoch: 3);

        Assert.Equal(5, term.RankEpoch(3, 10));
        Assert.Equal(5, new VerifiedTerm(_directory).RankEpoch(3, 10));
        Assert.Equal(6, new VerifiedTerm(_directory).RankEpoch(6, 12));
    }

    [Fact]
    public void A_label_past_the_end_of_the_log_counts_for_nothing()
    {
        var term = new VerifiedTerm(_directory);
        term.Raise(epoch: 5, end: 10, lastRecordEpoch: 3);

        Assert.Equal(3, term.RankEpoch(3, 9));
    }

    [Fact]
    public void Nothing_is_written_when_the_last_record_says_as_much_or_the_label_is_not_raised()
    {
        var term = new VerifiedTerm(_directory);
        term.Raise(epoch: 5, end: 10, lastRecordEpoch: 5);
        Assert.False(File.Exists(Path.Combine(_directory, VerifiedTerm.FileName)));

        term.Raise(epoch: 5, end: 10, lastRecordEpoch: 3);
        term.Raise(epoch: 4, end: 20, lastRecordEpoch: 3);
        Assert.Equal("5 10", File.ReadAllText(Path.Combine(_directory, VerifiedTerm.FileName)));
    }

    [Fact]
    public void A_file_that_holds_no_label_stops_the_start_with_its_name()
    {
        File.WriteAllText(Path.Combine(_directory, VerifiedTerm.FileName), "five");

        var error = Assert.Throws<InvalidDataException>(() => new VerifiedTerm(_directory));
        Assert.Contains(VerifiedTerm.FileName, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
