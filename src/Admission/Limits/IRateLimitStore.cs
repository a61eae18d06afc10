namespace Admission.Limits;

/// <summary>
/// Where limit state lives: GCRA arrival times, daily counters and usage boards. One
/// <see cref="AcquireAsync"/> checks every limit of a request and, only if all pass, takes from
/// all of them at once (atomically), so a request refused by one limit uses up none of the others.
/// Implementations: <see cref="EmbeddedRateLimitStore"/> (in-process, the default) and
/// <see cref="RedisRateLimitStore"/> (shared by replicas). Both pass the same contract tests.
/// </summary>
internal interface IRateLimitStore
{
    /// <summary>Checks and, when everything passes, consumes. Never throws for an unreachable backend: returns <see cref="LimitStatus.Unavailable"/>.</summary>
    ValueTask<LimitOutcome> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when <see cref="AcquireAsync"/> honours <see cref="LimitRequest.Owner"/> with persons kept in <paramref name="people"/>:
    /// it finds the owner's person itself, in the same atomic step (Redis: one EVAL instead of a lookup and an EVAL).
    /// </summary>
    bool ResolvesPersons(People.IPersonStore people) => false;

    /// <summary>Current raw values (GCRA arrival times in µs, counters) of keys at <paramref name="nowUs"/>; 0 for absent or expired ones.</summary>
    /// <exception cref="RateLimitStoreUnavailableException">the backend cannot be reached.</exception>
    ValueTask<long[]> ReadAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default);

    /// <summary>The highest scores of a usage board, best first.</summary>
    /// <exception cref="RateLimitStoreUnavailableException">the backend cannot be reached.</exception>
    ValueTask<IReadOnlyList<BoardEntry>> TopAsync(string boardKey, int count, long nowUs, CancellationToken cancellationToken = default);

    /// <summary>Carries usage between keys (linking and unlinking a person's logins), atomically.</summary>
    /// <exception cref="RateLimitStoreUnavailableException">the backend cannot be reached.</exception>
    ValueTask CarryAsync(UsageCarry carry, CancellationToken cancellationToken = default);
}
