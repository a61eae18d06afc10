namespace DaClient.Retry;

/// <summary>
/// Delays between retries: base × 2^attempt, capped, with "equal jitter" (a uniform draw in
/// [delay/2, delay]; "full jitter" would draw from [0, delay]) so that many batchers hitting the same
/// overloaded service spread out, yet each waits at least half the delay.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly Random _random;
    private readonly Lock _randomLock = new();

    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _random = random ?? Random.Shared;
    }

    /// <summary>Delay before retry number <paramref name="attempt"/> (0 = first retry).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var exponent = Math.Min(attempt, 30);
        var ceiling = Math.Min(_maxDelay.Ticks, _baseDelay.Ticks * (1L << exponent));
        if (ceiling <= 0)
        {
            return TimeSpan.Zero;
        }

        double fraction;
        lock (_randomLock)
        {
            fraction = _random.NextDouble();
        }

        var half = ceiling / 2;
        return TimeSpan.FromTicks(half + (long)(fraction * (ceiling - half)));
    }
}
