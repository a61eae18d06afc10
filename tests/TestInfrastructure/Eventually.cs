using System.Diagnostics;

namespace TestInfrastructure;

/// <summary>
/// Waits for something another thread or process does (a block sealed, a replica reloading, a server
/// noticing Redis is back): polls the condition until it holds, and fails with a
/// <see cref="TimeoutException"/> that says what was awaited once <c>timeout</c> has passed. Tests use
/// it instead of hand-written polling loops, so that no wait is unbounded. The timeout is a bound on a
/// hung test, not a performance assertion: choose it generously.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it is true.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string? what = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), timeout, what, cancellationToken);
    }

    /// <summary>Polls <paramref name="condition"/> until it is true.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string? what = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await UntilAsync(condition, done => done, timeout, _ => what ?? "the condition", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="accept"/> holds for its value, and returns that value.
    /// On timeout the message holds <paramref name="describe"/> of the last value seen.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, Func<T, string>? describe = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(accept);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe().ConfigureAwait(false);
            if (accept(value))
            {
                return value;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0.#} s: {(describe is null ? value?.ToString() : describe(value))}");
            }

            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
