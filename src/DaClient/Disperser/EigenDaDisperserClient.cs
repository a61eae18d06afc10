using System.Diagnostics;
using System.Numerics;
using System.Text;
using DaClient.Codec;
using DaClient.Disperser.Wire;
using DaClient.Retry;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DaClient.Disperser;

/// <summary>
/// EigenDA disperser v2 client: encode the batch into a blob, pace it against the reservation,
/// get its KZG commitment, sign the blob key, disperse, poll the status until the certificate is
/// complete, and return the certificate as the L1 commitment. Reads go to a relay.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The on-demand gate is a SemaphoreSlim whose wait handle is never used, so it holds nothing to dispose.")]
public sealed partial class EigenDaDisperserClient : IDaClient
{
    private const string AnchorDomain = "disperser.DisperseBlobRequest";

    private readonly Wire.Disperser.DisperserClient _disperser;
    private readonly Relay.RelayClient _relay;
    private readonly DisperserDaOptions _options;
    private readonly AccountSigner _signer;
    private readonly ReservationPacer _pacer;
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DaStatsCollector _stats = new(DaCommitmentKind.DisperserCertificate);
    private readonly Lock _paymentLock = new();
    private readonly SemaphoreSlim _onDemandGate = new(1, 1);
    private BigInteger _cumulativePaymentWei;
    private BigInteger _pricePerSymbolWei;
    private long _lastTimestampNs;
    private int _paymentStateSynced;

    /// <summary>Talks to the disperser on <paramref name="disperserChannel"/> and reads blobs from the relay on <paramref name="relayChannel"/>.</summary>
    public EigenDaDisperserClient(
        ChannelBase disperserChannel,
        ChannelBase relayChannel,
        DisperserDaOptions options,
        AccountSigner signer,
        ReservationPacer pacer,
        TimeProvider? time = null,
        ILogger<EigenDaDisperserClient>? logger = null,
        Random? jitter = null)
        : this(new Wire.Disperser.DisperserClient(disperserChannel), new Relay.RelayClient(relayChannel), options, signer, pacer, time, logger, jitter)
    {
    }

    internal EigenDaDisperserClient(
        Wire.Disperser.DisperserClient disperser,
        Relay.RelayClient relay,
        DisperserDaOptions options,
        AccountSigner signer,
        ReservationPacer pacer,
        TimeProvider? time = null,
        ILogger<EigenDaDisperserClient>? logger = null,
        Random? jitter = null)
    {
        _disperser = disperser ?? throw new ArgumentNullException(nameof(disperser));
        _relay = relay ?? throw new ArgumentNullException(nameof(relay));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _pacer = pacer ?? throw new ArgumentNullException(nameof(pacer));
        _backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(options.RetryBaseDelayMs), TimeSpan.FromMilliseconds(Math.Max(options.RetryBaseDelayMs, options.RetryMaxDelayMs)), jitter);
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pricePerSymbolWei = options.PricePerSymbolWei;
    }

    public DaCommitmentKind Kind => DaCommitmentKind.DisperserCertificate;

    public DaStats Stats => _stats.Snapshot();

    /// <summary>The account that pays and signs (checksummed address).</summary>
    public string Account => _signer.Address;

    /// <summary>Starts on-demand accounting from the disperser's record (GetPaymentState is not wired; see docs/da.md).</summary>
    public void SetCumulativePayment(BigInteger wei)
    {
        lock (_paymentLock)
        {
            _cumulativePaymentWei = wei;
        }
    }

    /// <summary>
    /// Asks the disperser for the account's reservation and on-demand record and adopts them:
    /// the pacer switches to the active reservation, the on-demand running total continues from
    /// the disperser's, and the price per symbol follows the payment vault.
    /// </summary>
    public async Task<PaymentState> RefreshPaymentStateAsync(CancellationToken cancellationToken)
    {
        var timestamp = (ulong)((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100);
        var request = new GetPaymentStateRequest
        {
            AccountId = _signer.Address,
            Timestamp = timestamp,
            Signature = ByteString.CopyFrom(_signer.Sign(PaymentStateRequestHasher.Digest(_signer.Address, timestamp))),
        };
        var reply = await CallAsync(
            deadline => _disperser.GetPaymentStateAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            "GetPaymentState",
            cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var reservation = reply.Reservation;
        DateTimeOffset? start = reservation is null ? null : DateTimeOffset.FromUnixTimeSeconds(reservation.StartTimestamp);
        DateTimeOffset? end = reservation is null ? null : DateTimeOffset.FromUnixTimeSeconds(reservation.EndTimestamp);
        var active = reservation is not null && start <= now && now < end;
        var reservedBytesPerSecond = active ? checked((long)reservation!.SymbolsPerSecond * BlobCodec.SymbolSize) : 0;
        var global = reply.PaymentGlobalParams;
        var used = new BigInteger(reply.CumulativePayment.Span, isUnsigned: true, isBigEndian: true);
        var deposit = new BigInteger(reply.OnchainCumulativePayment.Span, isUnsigned: true, isBigEndian: true);

        _pacer.UpdateReservation(reservedBytesPerSecond);
        lock (_paymentLock)
        {
            if (used > _cumulativePaymentWei)
            {
                _cumulativePaymentWei = used;
            }

            if (global is { PricePerSymbol: > 0 })
            {
                _pricePerSymbolWei = global.PricePerSymbol;
            }
        }

        return new PaymentState(reservedBytesPerSecond, start, end, used, deposit, global?.PricePerSymbol ?? 0, global?.MinNumSymbols ?? 0);
    }

    public async ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            throw new DaRejectedException("an empty batch cannot be dispersed");
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var certificate = await DisperseAsync(batch, cancellationToken).ConfigureAwait(false);
            _stats.PutSucceeded(batch.Length, Stopwatch.GetElapsedTime(started));
            return new DaCommitment(DaCommitmentKind.DisperserCertificate, certificate.ToByteArray());
        }
        catch (DaUnavailableException e)
        {
            _stats.PutFailed(failover: true);
            LogFailover(_logger, e.Reason, e.Message);
            throw;
        }
        catch (DaException)
        {
            _stats.PutFailed(failover: false);
            throw;
        }
        catch (RpcException e)
        {
            // Codes no step expects (e.g. PermissionDenied on GetBlobCommitment): a setup problem.
            _stats.PutFailed(failover: false);
            throw new DaRejectedException($"disperser refused the request ({e.StatusCode}): {e.Status.Detail}", e);
        }
    }

    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.Kind != DaCommitmentKind.DisperserCertificate)
        {
            throw new DaRejectedException($"the disperser client cannot read a {commitment.Kind} commitment");
        }

        DisperserCertificate certificate;
        try
        {
            certificate = DisperserCertificate.Parser.ParseFrom(commitment.Body.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DaCertificateInvalidException("disperser certificate bytes are not a valid certificate", e);
        }

        if (certificate.BlobKey.Length != 32)
        {
            throw new DaCertificateInvalidException("disperser certificate has no 32-byte blob key");
        }

        var header = certificate.BlobInclusionInfo?.BlobCertificate?.BlobHeader;
        if (header is not null && !BlobKeyHasher.ComputeBlobKey(header).AsSpan().SequenceEqual(certificate.BlobKey.Span))
        {
            throw new DaCertificateInvalidException("disperser certificate's blob header does not hash to its blob key");
        }

        var expected = header?.Commitment;
        GetBlobReply reply;
        try
        {
            reply = await CallAsync(
                deadline => _relay.GetBlobAsync(new GetBlobRequest { BlobKey = certificate.BlobKey }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
                "relay GetBlob",
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new DaNotFoundException($"relay has no blob 0x{Convert.ToHexStringLower(certificate.BlobKey.Span)}", e);
        }
        catch (RpcException e)
        {
            throw new DaRejectedException($"relay refused GetBlob ({e.StatusCode}): {e.Status.Detail}", e);
        }

        var blob = reply.Blob.Memory;
        if (expected is not null)
        {
            var blobBytes = (long)expected.Length * BlobCodec.SymbolSize;
            if (blob.Length > blobBytes)
            {
                throw new DaCertificateInvalidException($"relay returned {blob.Length} bytes for a blob of {blobBytes} bytes");
            }

            if (_options.VerifyBlobOnRead)
            {
                var padded = new byte[blobBytes];
                blob.Span.CopyTo(padded);
                var actual = await GetCommitmentAsync(padded, cancellationToken).ConfigureAwait(false);
                if (!actual.Commitment.Span.SequenceEqual(expected.Commitment.Span))
                {
                    throw new DaCertificateInvalidException("blob from the relay does not match the certificate's KZG commitment");
                }
            }
        }

        var payload = BlobCodec.Decode(blob.Span);
        _stats.GetSucceeded(payload.Length);
        return payload;
    }

    public async ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Any answer, even "no such blob", shows the disperser is up and reachable.
            await _disperser.GetBlobStatusAsync(
                new BlobStatusRequest { BlobKey = ByteString.CopyFrom(new byte[32]) },
                deadline: DateTime.UtcNow.AddSeconds(5),
                cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            return DaHealth.Healthy($"disperser {_options.Endpoint}");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return DaHealth.Unhealthy($"disperser {_options.Endpoint}: {e.StatusCode} {e.Status.Detail}");
        }
        catch (RpcException)
        {
            return DaHealth.Healthy($"disperser {_options.Endpoint}");
        }
    }

    private async Task<DisperserCertificate> DisperseAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        var blob = BlobCodec.Encode(batch.Span);
        await SyncPaymentStateOnceAsync(cancellationToken).ConfigureAwait(false);
        var pacing = await _pacer.AcquireAsync(blob.Length, cancellationToken).ConfigureAwait(false);
        if (pacing.Lane == PaymentLane.OnDemand)
        {
            _stats.WentOnDemand(pacing.ChargedBytes);
        }

        var commitment = await GetCommitmentAsync(blob, cancellationToken).ConfigureAwait(false);
        var lane = pacing.Lane;
        while (true)
        {
            // On-demand payments carry a cumulative total that must rise in the order the disperser
            // receives them, so on-demand dispersals go one at a time (header built inside the gate).
            var gate = lane == PaymentLane.OnDemand ? _onDemandGate : null;
            byte[] blobKey;
            DisperseBlobReply reply;
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var header = BuildHeader(commitment, lane, pacing.ChargedBytes);
                blobKey = BlobKeyHasher.ComputeBlobKey(header);
                var request = new DisperseBlobRequest
                {
                    Blob = ByteString.CopyFrom(blob),
                    BlobHeader = header,
                    Signature = ByteString.CopyFrom(_signer.Sign(blobKey)),
                };
                AddAnchor(request, blobKey);
                reply = await CallAsync(
                    deadline => _disperser.DisperseBlobAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
                    "DisperseBlob",
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied && lane == PaymentLane.Reservation)
            {
                if (!_options.OnDemandEnabled)
                {
                    throw new DaUnavailableException(DaUnavailableReason.ReservationRejected, $"disperser refused the reservation: {e.Status.Detail}", e);
                }

                LogReservationRefused(_logger, e.Status.Detail);
                _pacer.MovedToOnDemand(pacing.ChargedBytes);
                _stats.WentOnDemand(pacing.ChargedBytes);
                lane = PaymentLane.OnDemand;
                continue;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                throw new DaUnavailableException(DaUnavailableReason.ReservationRejected, $"disperser refused on-demand payment: {e.Status.Detail}", e);
            }
            finally
            {
                gate?.Release();
            }

            if (!reply.BlobKey.Span.SequenceEqual(blobKey))
            {
                throw new DaException($"disperser returned blob key 0x{Convert.ToHexStringLower(reply.BlobKey.Span)}, expected 0x{Convert.ToHexStringLower(blobKey)}");
            }

            if (reply.Result is BlobStatus.Failed or BlobStatus.Unknown)
            {
                throw new DaUnavailableException(DaUnavailableReason.DispersalFailed, $"disperser answered DisperseBlob with {reply.Result}");
            }

            return await AwaitCertificateAsync(blobKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>First put only: adopt the disperser's payment state; without it the configuration stands.</summary>
    private async Task SyncPaymentStateOnceAsync(CancellationToken cancellationToken)
    {
        if (!_options.SyncPaymentState || Interlocked.Exchange(ref _paymentStateSynced, 1) == 1)
        {
            return;
        }

        try
        {
            var state = await RefreshPaymentStateAsync(cancellationToken).ConfigureAwait(false);
            LogPaymentState(_logger, state.ReservedBytesPerSecond, state.ReservationEnd, state.CumulativePaymentWei.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is DaException or RpcException)
        {
            LogPaymentStateUnavailable(_logger, e.Message);
        }
    }

    private async Task<BlobCommitment> GetCommitmentAsync(byte[] blob, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(
            deadline => _disperser.GetBlobCommitmentAsync(new BlobCommitmentRequest { Blob = ByteString.CopyFrom(blob) }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            "GetBlobCommitment",
            cancellationToken).ConfigureAwait(false);
        return reply.BlobCommitment ?? throw new DaException("disperser returned no blob commitment");
    }

    private BlobHeader BuildHeader(BlobCommitment commitment, PaymentLane lane, long chargedBytes)
    {
        var payment = new PaymentHeader { AccountId = _signer.Address };
        lock (_paymentLock)
        {
            // The timestamp is part of the blob key, so it must never repeat for this account.
            var now = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
            _lastTimestampNs = Math.Max(now, _lastTimestampNs + 1);
            payment.Timestamp = _lastTimestampNs;
            if (lane == PaymentLane.OnDemand)
            {
                var symbols = chargedBytes / BlobCodec.SymbolSize;
                _cumulativePaymentWei += symbols * _pricePerSymbolWei;
                payment.CumulativePayment = ByteString.CopyFrom(_cumulativePaymentWei.ToByteArray(isUnsigned: true, isBigEndian: true));
            }
        }

        var header = new BlobHeader { Version = (uint)_options.BlobVersion, Commitment = commitment, PaymentHeader = payment };
        header.QuorumNumbers.AddRange(_options.EffectiveQuorums);
        return header;
    }

    private void AddAnchor(DisperseBlobRequest request, byte[] blobKey)
    {
        if (_options.AnchorChainId <= 0)
        {
            return;
        }

        var chainId = new byte[32];
        new BigInteger(_options.AnchorChainId).TryWriteBytes(chainId.AsSpan(32 - new BigInteger(_options.AnchorChainId).GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        var domain = Encoding.ASCII.GetBytes(AnchorDomain);
        var preimage = new byte[domain.Length + 32 + 4 + 32];
        domain.CopyTo(preimage, 0);
        chainId.CopyTo(preimage, domain.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(preimage.AsSpan(domain.Length + 32, 4), _options.DisperserId);
        blobKey.CopyTo(preimage, domain.Length + 36);
        request.AnchorSignature = ByteString.CopyFrom(_signer.Sign(DaCommitment.Keccak256(preimage)));
        request.DisperserId = _options.DisperserId;
        request.ChainId = ByteString.CopyFrom(chainId);
    }

    private async Task<DisperserCertificate> AwaitCertificateAsync(byte[] blobKey, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var timeout = TimeSpan.FromMilliseconds(_options.CertifiedTimeoutMs);
        var interval = TimeSpan.FromMilliseconds(_options.StatusPollIntervalMs);
        var maxInterval = TimeSpan.FromMilliseconds(Math.Max(_options.StatusPollIntervalMs, _options.StatusPollMaxIntervalMs));
        var request = new BlobStatusRequest { BlobKey = ByteString.CopyFrom(blobKey) };
        var lastStatus = BlobStatus.Queued;
        while (true)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            if (_time.GetElapsedTime(started) > timeout)
            {
                throw new DaUnavailableException(DaUnavailableReason.CertificationTimeout, $"no certificate within {timeout.TotalMilliseconds} ms (last status {lastStatus})");
            }

            BlobStatusReply reply;
            try
            {
                reply = await _disperser.GetBlobStatusAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument)
            {
                throw new DaRejectedException($"disperser rejected GetBlobStatus: {e.Status.Detail}", e);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                // NotFound right after dispersal and transient errors: keep polling until the timeout.
                LogPollError(_logger, e.StatusCode, e.Status.Detail);
                interval = Next(interval, maxInterval);
                continue;
            }

            lastStatus = reply.Status;
            switch (reply.Status)
            {
                case BlobStatus.Complete:
                    return Certificate(blobKey, reply);
                case BlobStatus.Failed or BlobStatus.Unknown:
                    throw new DaUnavailableException(DaUnavailableReason.DispersalFailed, $"dispersal ended with status {reply.Status}");
                default:
                    interval = Next(interval, maxInterval);
                    break;
            }
        }
    }

    private DisperserCertificate Certificate(byte[] blobKey, BlobStatusReply reply)
    {
        var attestation = reply.SignedBatch?.Attestation;
        if (attestation is null || reply.SignedBatch!.Header is null || reply.BlobInclusionInfo is null)
        {
            throw new DaUnavailableException(DaUnavailableReason.DispersalFailed, "COMPLETE status without signed batch or inclusion info");
        }

        // COMPLETE promises nothing about how much stake signed; the thresholds are checked here.
        foreach (var quorum in _options.EffectiveQuorums)
        {
            var index = attestation.QuorumNumbers.IndexOf(quorum);
            var signed = index >= 0 && index < attestation.QuorumSignedPercentages.Length ? attestation.QuorumSignedPercentages[index] : 0;
            if (signed < _options.RequiredSignedPercentage)
            {
                throw new DaUnavailableException(
                    DaUnavailableReason.DispersalFailed,
                    $"quorum {quorum} signed {signed}%, below the required {_options.RequiredSignedPercentage}%");
            }
        }

        return new DisperserCertificate
        {
            BlobKey = ByteString.CopyFrom(blobKey),
            BatchHeader = reply.SignedBatch.Header,
            BlobInclusionInfo = reply.BlobInclusionInfo,
            Attestation = attestation,
        };
    }

    /// <summary>
    /// One unary call with retries on transient codes. InvalidArgument / AlreadyExists /
    /// Unauthenticated become <see cref="DaRejectedException"/>; PermissionDenied and NotFound are
    /// rethrown for the caller to interpret.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<DateTime, Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            RpcException failure;
            try
            {
                return await call(Deadline()).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.Unauthenticated or StatusCode.OutOfRange or StatusCode.FailedPrecondition or StatusCode.Unimplemented)
            {
                throw new DaRejectedException($"disperser rejected {operation} ({e.StatusCode}): {e.Status.Detail}", e);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.NotFound)
            {
                throw;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e)
            {
                failure = e;
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new DaUnavailableException(
                    DaUnavailableReason.RetriesExhausted,
                    $"{operation} failed after {attempt + 1} attempts; last: {failure.StatusCode} {failure.Status.Detail}",
                    failure);
            }

            var delay = _backoff.DelayFor(attempt);
            _stats.Retried();
            LogRetry(_logger, operation, attempt + 1, failure.StatusCode, delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // gRPC deadlines are wall-clock instants.
    private DateTime Deadline() => DateTime.UtcNow.AddMilliseconds(_options.RequestTimeoutMs);

    private static TimeSpan Next(TimeSpan interval, TimeSpan max) => interval * 2 > max ? max : interval * 2;

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "EigenDA {Operation} attempt {Attempt} failed ({Code}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, StatusCode code, double delayMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "EigenDA unavailable ({Reason}): {Detail}")]
    private static partial void LogFailover(ILogger logger, DaUnavailableReason reason, string detail);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "EigenDA reservation refused the blob ({Detail}); paying on-demand")]
    private static partial void LogReservationRefused(ILogger logger, string detail);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "EigenDA payment state: reserved {BytesPerSecond} bytes/s until {ReservationEnd}, on-demand used {CumulativeWei} wei")]
    private static partial void LogPaymentState(ILogger logger, long bytesPerSecond, DateTimeOffset? reservationEnd, string cumulativeWei);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "EigenDA payment state unavailable ({Detail}); pacing from configuration")]
    private static partial void LogPaymentStateUnavailable(ILogger logger, string detail);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "EigenDA GetBlobStatus failed ({Code}: {Detail}); polling again")]
    private static partial void LogPollError(ILogger logger, StatusCode code, string detail);
}
