namespace Admission.Tests.Infrastructure;

/// <summary>The start time of the limit tests' fake clocks (FakeTimeProvider), and the clock read as the limit stores count.</summary>
public static class TestClock
{
    public static DateTimeOffset Noon { get; } = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    extension(TimeProvider clock)
    {
        /// <summary>Now in Unix microseconds, the unit of the limit stores.</summary>
        public long NowUs => clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }
}
