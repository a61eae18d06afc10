namespace Sequencer.OperatorConsole;

/// <summary>
/// The last hour of <see cref="ConsoleSample"/>s in a ring of fixed size (3600 s / sample period), so the console shows
/// history from before the page was opened and the memory held never grows (720 small samples at the default 5 s).
/// </summary>
public sealed class ConsoleHistory
{
    private readonly Lock _lock = new();
    private readonly ConsoleSample[] _ring;
    private int _next;
    private int _count;

    public ConsoleHistory(int sampleSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSeconds, 1);
        SampleSeconds = sampleSeconds;
        _ring = new ConsoleSample[Math.Max(1, 3600 / sampleSeconds)];
    }

    public int SampleSeconds { get; }

    public int Capacity => _ring.Length;

    public void Add(ConsoleSample sample)
    {
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>The samples kept, oldest first.</summary>
    public ConsoleSample[] Snapshot()
    {
        lock (_lock)
        {
            var result = new ConsoleSample[_count];
            for (var i = 0; i < _count; i++)
            {
                result[i] = _ring[(_next - _count + i + _ring.Length) % _ring.Length];
            }

            return result;
        }
    }
}
