using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace DaClient.Retry;

/// <summary>
/// Retries of one DA call through Polly on the client's <see cref="TimeProvider"/>: an attempt whose result is a
/// <see cref="DaError.Transient"/> failure is tried again after an exponential delay with jitter (capped), up to
/// <c>maxRetries</c> times; then the call is <see cref="DaError.Unavailable"/> with
/// <see cref="DaUnavailableReason.RetriesExhausted"/>. Failures are values here, never exceptions.
/// </summary>
internal sealed partial class DaRetryPipeline
{
    private static readonly ResiliencePropertyKey<string> Operation = new("da.operation");

    private readonly ResiliencePipeline _pipeline;
    private readonly string _service;
    private readonly int _maxRetries;

    public DaRetryPipeline(string service, int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider time, DaStatsCollector stats, ILogger? logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _service = service;
        _maxRetries = maxRetries;
        var log = logger ?? NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = maxDelay < baseDelay ? baseDelay : maxDelay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is IDaAttempt { Failure.Error: DaError.Transient }),
                OnRetry = args =>
                {
                    stats.Retried();
                    var reason = (args.Outcome.Result as IDaAttempt)?.Failure?.Message ?? "";
                    LogRetry(log, service, args.Context.Properties.GetValue(Operation, ""), args.AttemptNumber + 1, reason, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or runs out of retries.</summary>
    public async ValueTask<DaResult<T>> ExecuteAsync<T>(Func<CancellationToken, ValueTask<DaResult<T>>> attempt, string operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Operation, operation);
        try
        {
            var result = await _pipeline.ExecuteAsync(static (ctx, call) => call(ctx.CancellationToken), context, attempt).ConfigureAwait(false);
            return result.Failure is { Error: DaError.Transient } last
                ? DaFailure.Unavailable(DaUnavailableReason.RetriesExhausted, $"{_service} {operation} failed after {_maxRetries + 1} attempts; last: {last.Message}", last.Cause)
                : result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Service} {Operation} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string service, string operation, int attempt, string reason, double delayMs);
}
