namespace Batcher.Tests.EndToEnd;

/// <summary>
/// The wall clock plus an offset a test moves forward, so a test can pass an interval of the
/// batcher's (the DA recovery probe, say) without sleeping through it. Timers and delays stay on
/// real time: the rig's anvil and batch ages still need them to run.
/// </summary>
public sealed class AdvanceableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
