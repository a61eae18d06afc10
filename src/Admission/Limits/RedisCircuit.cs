using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Admission.Limits;

/// <summary>
/// The limiter's way to Redis: each call is abandoned after a short timeout (<c>Admission:RedisTimeoutMs</c>, at
/// most an eighth more: <see cref="RedisCallDeadlines"/>), and (Polly) once half the calls of the last 10 s (at least
/// <see cref="MinimumThroughput"/> of them) failed, a circuit breaker skips Redis for
/// <c>Admission:RedisBreakMs</c> and then lets one call probe it. Any Redis error counts as a failure: a
/// lost connection, a timeout, but also a Redis that answers with errors (OOM, READONLY, MISCONF, …).
/// So a sick Redis costs a paid transaction at most one short timeout, and sponsored ones fail closed at once.
/// </summary>
internal sealed partial class RedisCircuit
{
    /// <summary>Fewest calls in the sampling window before the failure ratio can open the circuit.</summary>
    public const int MinimumThroughput = 4;

    private readonly ResiliencePipeline _pipeline;
    private readonly RedisCallDeadlines _deadlines;
    private volatile bool _lastCallFailed;

    /// <param name="timeout">How long one call may take before it counts as failed.</param>
    /// <param name="breakDuration">How long Redis is skipped once the circuit opens (at least 0.5 s).</param>
    /// <param name="logger">Told when the circuit opens (with the failure) and closes again.</param>
    public RedisCircuit(TimeSpan timeout, TimeSpan breakDuration, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _deadlines = new RedisCallDeadlines(timeout);
        _pipeline = new ResiliencePipelineBuilder
        {
            // The timeout guards against a real socket that stopped answering, so it runs on the real clock even
            // where tests drive the limits' clock.
            TimeProvider = TimeProvider.System,
        }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = MinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = breakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsFailure(e)),
                OnOpened = args =>
                {
                    LogOpened(logger, (long)args.BreakDuration.TotalMilliseconds, Describe(args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>200 ms per call, 2 s open: the defaults of <c>Admission:RedisTimeoutMs</c> and <c>Admission:RedisBreakMs</c>.</summary>
    /// <summary>False once a call failed or was skipped, until one succeeds again (the admission meter's availability gauge).</summary>
    public bool LastCallSucceeded => !_lastCallFailed;

    public static RedisCircuit WithDefaults(ILogger? logger = null) => new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), logger ?? NullLogger.Instance);

    /// <summary>
    /// Runs <paramref name="command"/> against <paramref name="database"/>. Available is false when Redis failed,
    /// did not answer in time, or is being skipped; only a cancellation by the caller is thrown.
    /// </summary>
    /// <remarks>
    /// The caller's token is checked before the call, not during it: the wait for Redis is bounded by the timeout anyway,
    /// and watching a second token on every call would cost a linked token source per call.
    /// </remarks>
    public async ValueTask<(bool Available, T Value)> RunAsync<T, TState>(
        IDatabase database, Func<IDatabase, TState, Task<T>> command, TState state, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, call) =>
                {
                    Task<T>? pending = null;
                    var deadline = CancellationToken.None;
                    try
                    {
                        pending = call.Command(call.Database, call.State);
                        if (pending.IsCompleted)
                        {
                            return Outcome.FromResult(await pending.ConfigureAwait(false));
                        }

                        // StackExchange.Redis takes no token: stop waiting at the timeout, let the command finish on its own.
                        deadline = call.Deadlines.Next();
                        return Outcome.FromResult(await pending.WaitAsync(deadline).ConfigureAwait(false));
                    }
                    catch (Exception e)
                    {
                        if (e is OperationCanceledException && deadline.IsCancellationRequested)
                        {
                            e = new TimeoutRejectedException($"Redis did not answer within {call.Deadlines.Timeout.TotalMilliseconds:0} ms", call.Deadlines.Timeout);
                        }

                        if (pending is { IsCompleted: false })
                        {
                            // Observe the abandoned command's eventual failure (Redis's own timeout).
                            _ = pending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        }

                        return Outcome.FromException<T>(e);
                    }
                },
                context,
                (Database: database, Command: command, State: state, Deadlines: _deadlines)).ConfigureAwait(false);
            if (outcome.Exception is not { } error)
            {
                _lastCallFailed = false;
                return (true, outcome.Result!);
            }

            if (IsFailure(error) || error is BrokenCircuitException)
            {
                _lastCallFailed = true;
                return (false, default!);
            }

            // The caller's cancellation, or a bug: not Redis's fault.
            ExceptionDispatchInfo.Throw(error);
            return default;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Every error from Redis or from waiting for it; not the caller's bugs (those are thrown).</summary>
    private static bool IsFailure(Exception e) => RedisConnection.IsUnavailable(e) || e is TimeoutRejectedException;

    // The exception's type and Redis's own message ("OOM command not allowed …"); Redis errors hold no secrets.
    private static string Describe(Exception? e) => e is null ? "no exception" : $"{e.GetType().Name}: {e.Message}";

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Redis skipped for {BreakMs} ms after repeated failures (last: {Failure}); sponsored transactions fail closed, paid ones use this replica's own limits")]
    private static partial void LogOpened(ILogger logger, long breakMs, string failure);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Redis answers again; limits are shared through it again")]
    private static partial void LogClosed(ILogger logger);
}
