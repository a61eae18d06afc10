using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

public sealed class EpochFenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("epoch-fence-").FullName;

    [Fact]
    public void A_replica_refuses_an_epoch_older_than_the_highest_it_accepted_also_after_a_restart()
    {
        var fence = new EpochFence(_directory);
        Assert.Equal(0, fence.Highest);
        Assert.True(fence.TryAccept(28));
        Assert.True(fence.TryAccept(28));
        Assert.True(fence.TryAccept(40));

        Assert.False(fence.TryAccept(28));
        Assert.Equal(40, fence.Highest);

        var restarted = new EpochFence(_directory);
        Assert.Equal(40, restarted.Highest);
        Assert.False(restarted.TryAccept(39));
        Assert.True(restarted.TryAccept(41));
    }

    [Fact]
    public void A_damaged_epoch_file_stops_the_replica_rather_than_forgetting_the_fence()
    {
        File.WriteAllText(Path.Combine(_directory, EpochFence.FileName), "forty");

        var error = Assert.Throws<InvalidDataException>(() => new EpochFence(_directory));
        Assert.Contains(EpochFence.FileName, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
