using Admission.Limits;
using Microsoft.Extensions.Logging.Abstractions;

namespace Admission.Tests.Limits;

/// <summary>
/// The limiter's way to a real test Redis, with a timeout (5 s instead of 200 ms) that a busy test machine
/// does not hit, for tests that are not about the timeout.
/// </summary>
internal static class TestRedis
{
    /// <summary>The same 5 s, as the <c>Admission:RedisTimeoutMs</c> setting of a host.</summary>
    public const string LimiterTimeoutMs = "5000";

    public static RedisCircuit Circuit() => new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), NullLogger.Instance);
}
