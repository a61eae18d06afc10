using Nethereum.JsonRpc.Client;
using Polly;
using Polly.Retry;

namespace Batcher.L1;

/// <summary>
/// Waiting out an L1 node that is away, through Polly on the batcher's <see cref="TimeProvider"/>: tried again
/// without end (L1 being away is no reason to stop), linearly longer between tries up to 5 s, until cancelled.
/// </summary>
public static class L1Retry
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failures of the node or of the way to it, worth another try: the connection, a timeout, an error the node
    /// answered with. Not among them: what the batcher itself finds wrong with L1 (<see cref="L1PostingException"/>).
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or TaskCanceledException or IOException or RpcResponseException;

    /// <summary>
    /// Retries a call that fails with an exception <paramref name="handles"/> takes, after <paramref name="delay"/>,
    /// twice that, … (at most 5 s); <paramref name="onRetry"/> sees each failure and its attempt number (0 = first).
    /// </summary>
    public static ResiliencePipeline Create(TimeProvider time, TimeSpan delay, Func<Exception, bool> handles, Action<Exception, int> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Linear,
                Delay = delay,
                MaxDelay = delay > MaxDelay ? delay : MaxDelay,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && !args.Context.CancellationToken.IsCancellationRequested && handles(e)),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.AttemptNumber);
                    return default;
                },
            })
            .Build();
}
