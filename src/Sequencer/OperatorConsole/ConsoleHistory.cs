using Primitives.Collections;

namespace Sequencer.OperatorConsole;

/// <summary>
/// The last hour of <see cref="ConsoleSample"/>s in a ring of fixed size (3600 s / sample period), so the console shows
/// history from before the page was opened and the memory held never grows (720 small samples at the default 5 s).
/// </summary>
public sealed class ConsoleHistory
{
    private readonly BoundedRing<ConsoleSample> _ring;

    public ConsoleHistory(int sampleSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSeconds, 1);
        SampleSeconds = sampleSeconds;
        _ring = new BoundedRing<ConsoleSample>(Math.Max(1, 3600 / sampleSeconds));
    }

    public int SampleSeconds { get; }

    public int Capacity => _ring.Capacity;

    public void Add(ConsoleSample sample) => _ring.Add(sample);

    /// <summary>The samples kept, oldest first.</summary>
    public ConsoleSample[] Snapshot() => _ring.Latest(_ring.Capacity);
}
