namespace DaClient.Disperser;

/// <summary>
/// Keeps dispersal under the reserved bandwidth: a leaky bucket of <c>burst</c> bytes draining at
/// <c>bytesPerSecond</c>. A blob that does not fit waits (blobs queue in arrival order) instead of
/// being sent and refused by the disperser. If the wait would exceed <c>maxWait</c> and on-demand
/// payment is allowed, the blob goes on-demand instead and its bytes are counted.
/// </summary>
public sealed class ReservationPacer
{
    private readonly long _configuredBurst;
    private double _bytesPerSecond;
    private double _burst;
    private readonly TimeSpan _maxWait;
    private readonly bool _onDemandEnabled;
    private readonly long _minBillableBytes;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _level;
    private long _levelAt;
    private long _onDemandBytes;
    private long _reservedBytes;

    public ReservationPacer(long bytesPerSecond, long burstBytes, TimeSpan maxWait, bool onDemandEnabled, long minBillableBytes, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(burstBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(minBillableBytes);
        _configuredBurst = burstBytes;
        _bytesPerSecond = bytesPerSecond;
        _burst = BurstFor(bytesPerSecond);
        _maxWait = maxWait;
        _onDemandEnabled = onDemandEnabled;
        _minBillableBytes = minBillableBytes;
        _time = time ?? TimeProvider.System;
        _levelAt = _time.GetTimestamp();
    }

    /// <summary>Bytes sent on-demand so far (billed size).</summary>
    public long OnDemandBytes => Interlocked.Read(ref _onDemandBytes);

    /// <summary>Bytes charged to the reservation so far (billed size).</summary>
    public long ReservedBytes => Interlocked.Read(ref _reservedBytes);

    /// <summary>Reserved bandwidth the pacer currently works with, in bytes/s.</summary>
    public long BytesPerSecond
    {
        get
        {
            lock (_lock)
            {
                return (long)_bytesPerSecond;
            }
        }
    }

    /// <summary>Switches to the reservation the disperser reports (0 = none or expired).</summary>
    public void UpdateReservation(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        lock (_lock)
        {
            _bytesPerSecond = bytesPerSecond;
            _burst = BurstFor(bytesPerSecond);
        }
    }

    // Default bucket: one minute of reserved bandwidth, what the EigenDA client ledger uses.
    private double BurstFor(long bytesPerSecond) => _configuredBurst > 0 ? _configuredBurst : bytesPerSecond * 60.0;

    /// <summary>Bytes a blob of <paramref name="blobBytes"/> is billed as (the disperser's minimum applies).</summary>
    public long BilledBytes(long blobBytes) => Math.Max(blobBytes, _minBillableBytes);

    /// <summary>
    /// Decides lane and delay for a blob and books it. Throws <see cref="DaUnavailableException"/>
    /// when there is no reservation and on-demand is off.
    /// </summary>
    public PacingDecision Reserve(long blobBytes)
    {
        var charged = BilledBytes(blobBytes);
        lock (_lock)
        {
            if (_bytesPerSecond <= 0)
            {
                return OnDemandOrRefuse(charged, "no reserved bandwidth is configured");
            }

            var now = _time.GetTimestamp();
            var drained = _time.GetElapsedTime(_levelAt, now).TotalSeconds * _bytesPerSecond;
            _level = Math.Max(0, _level - drained);
            _levelAt = now;

            var excess = _level + charged - _burst;
            // An empty bucket takes any single blob (the reservation allows one overfill).
            var wait = excess <= 0 || _level == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(excess / _bytesPerSecond);
            if (wait > _maxWait && _onDemandEnabled)
            {
                Interlocked.Add(ref _onDemandBytes, charged);
                return new PacingDecision(PaymentLane.OnDemand, TimeSpan.Zero, charged);
            }

            _level += charged;
            Interlocked.Add(ref _reservedBytes, charged);
            return new PacingDecision(PaymentLane.Reservation, wait, charged);
        }
    }

    /// <summary>Gives back what a blob booked but never sent (its wait was cancelled).</summary>
    public void Release(PacingDecision decision)
    {
        if (decision.Lane == PaymentLane.OnDemand)
        {
            Interlocked.Add(ref _onDemandBytes, -decision.ChargedBytes);
            return;
        }

        lock (_lock)
        {
            _level = Math.Max(0, _level - decision.ChargedBytes);
        }

        Interlocked.Add(ref _reservedBytes, -decision.ChargedBytes);
    }

    /// <summary>Records that a blob booked on the reservation was moved to on-demand (the disperser refused it).</summary>
    public void MovedToOnDemand(long chargedBytes)
    {
        Interlocked.Add(ref _reservedBytes, -chargedBytes);
        Interlocked.Add(ref _onDemandBytes, chargedBytes);
    }

    /// <summary><see cref="Reserve"/>, then waits out the delay.</summary>
    public async ValueTask<PacingDecision> AcquireAsync(long blobBytes, CancellationToken cancellationToken)
    {
        var decision = Reserve(blobBytes);
        if (decision.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(decision.Delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Release(decision);
                throw;
            }
        }

        return decision;
    }

    private PacingDecision OnDemandOrRefuse(long charged, string why)
    {
        if (!_onDemandEnabled)
        {
            throw new DaUnavailableException(DaUnavailableReason.ReservationRejected, $"{why} and on-demand payment is disabled");
        }

        Interlocked.Add(ref _onDemandBytes, charged);
        return new PacingDecision(PaymentLane.OnDemand, TimeSpan.Zero, charged);
    }
}
