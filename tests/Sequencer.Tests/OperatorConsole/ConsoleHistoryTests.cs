using Sequencer.OperatorConsole;

namespace Sequencer.Tests.OperatorConsole;

public sealed class ConsoleHistoryTests
{
    [Fact]
    public void The_history_holds_one_hour_of_samples_and_drops_the_oldest()
    {
        var history = new ConsoleHistory(sampleSeconds: 5);
        for (var i = 0; i < 800; i++)
        {
            history.Add(new ConsoleSample(i, i, new Dictionary<string, long>(), 0, null, null, "ok"));
        }

        var samples = history.Snapshot();

        Assert.Equal(720, history.Capacity);
        Assert.Equal(720, samples.Length);
        Assert.Equal(80, samples[0].At);
        Assert.Equal(799, samples[^1].At);
    }
}
