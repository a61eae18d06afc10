namespace Admission.Tests.Infrastructure;

/// <summary>A clock the test moves by hand, so limit tests never depend on real time passing.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static DateTimeOffset Noon { get; } = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public long NowUs => _now.ToUnixTimeMilliseconds() * 1000;

    public void Advance(TimeSpan by) => _now += by;
}
