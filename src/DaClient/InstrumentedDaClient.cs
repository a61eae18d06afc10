using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DaClient;

/// <summary>
/// An <see cref="IDaClient"/> around an <see cref="IDaBackend"/>: the one place that counts puts, failures,
/// failovers and reads (<see cref="DaStats"/>), logs a failover, and turns failure values into the exceptions
/// of the throwing methods. The EigenDA clients are this decorator around their own transport.
/// </summary>
public partial class InstrumentedDaClient : IDaClient
{
    private readonly IDaBackend _backend;
    private readonly DaStatsCollector _stats;
    private readonly string _service;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="backend"/>; <paramref name="service"/> names it in the log.</summary>
    public InstrumentedDaClient(IDaBackend backend, string service, ILogger? logger = null)
        : this(backend, new DaStatsCollector(backend?.Kind ?? throw new ArgumentNullException(nameof(backend))), service, logger)
    {
    }

    /// <summary>For backends that count retries and on-demand bytes themselves, into the same <paramref name="stats"/>.</summary>
    internal InstrumentedDaClient(IDaBackend backend, DaStatsCollector stats, string service, ILogger? logger)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _stats = stats;
        _service = service;
        _logger = logger ?? NullLogger.Instance;
    }

    public DaCommitmentKind Kind => _backend.Kind;

    public DaStats Stats => _stats.Snapshot();

    public async ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken) =>
        (await TryPutAsync(batch, default, cancellationToken).ConfigureAwait(false)).Value;

    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken) =>
        (await TryGetAsync(commitment, cancellationToken).ConfigureAwait(false)).Value;

    public ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken) => _backend.CheckHealthAsync(cancellationToken);

    /// <summary>Stores the batch (remote backends ignore <paramref name="keccak256"/>); a failure is a value.</summary>
    public async ValueTask<DaResult<DaCommitment>> TryPutAsync(ReadOnlyMemory<byte> batch, ReadOnlyMemory<byte> keccak256, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            return DaFailure.Rejected("an empty batch cannot be dispersed");
        }

        var started = Stopwatch.GetTimestamp();
        var result = await _backend.PutAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.Failure is not { } failure)
        {
            _stats.PutSucceeded(batch.Length, Stopwatch.GetElapsedTime(started));
            return result;
        }

        var failover = failure.Error == DaError.Unavailable;
        _stats.PutFailed(failover);
        if (failover)
        {
            LogFailover(_logger, _service, failure.Reason, failure.Message);
        }

        return result;
    }

    public async ValueTask<DaResult<ReadOnlyMemory<byte>>> TryGetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.Kind != _backend.Kind)
        {
            return DaFailure.Rejected($"the {_service} client cannot read a {commitment.Kind} commitment");
        }

        var result = await _backend.GetAsync(commitment, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            _stats.GetSucceeded(result.Value.Length);
        }

        return result;
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Service} unavailable ({Reason}): {Detail}")]
    private static partial void LogFailover(ILogger logger, string service, DaUnavailableReason reason, string detail);
}
