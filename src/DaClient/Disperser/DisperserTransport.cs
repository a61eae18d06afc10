using System.Globalization;
using DaClient.Codec;
using DaClient.Disperser.Wire;
using DaClient.Retry;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace DaClient.Disperser;

/// <summary>
/// EigenDA disperser v2 over gRPC: encode the batch into a blob, pace it against the reservation, get its KZG
/// commitment, sign the blob key, disperse, await the certificate (<see cref="CertificatePoller"/>) and return it
/// as the L1 commitment. Reads go to a relay. Every failure is a <see cref="DaFailure"/>.
/// </summary>
internal sealed partial class DisperserTransport : IDaBackend, IDisposable
{
    public const string Service = "EigenDA";

    private readonly Wire.Disperser.DisperserClient _disperser;
    private readonly Relay.RelayClient _relay;
    private readonly DisperserDaOptions _options;
    private readonly AccountSigner _signer;
    private readonly ReservationPacer _pacer;
    private readonly OnDemandLedger _ledger;
    private readonly CertificatePoller _certificates;
    private readonly DaRetryPipeline _retry;
    private readonly DaStatsCollector _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _paymentStateSynced;

    public DisperserTransport(
        Wire.Disperser.DisperserClient disperser, Relay.RelayClient relay, DisperserDaOptions options, AccountSigner signer,
        ReservationPacer pacer, TimeProvider time, DaStatsCollector stats, ILogger logger)
    {
        _disperser = disperser ?? throw new ArgumentNullException(nameof(disperser));
        _relay = relay ?? throw new ArgumentNullException(nameof(relay));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _pacer = pacer ?? throw new ArgumentNullException(nameof(pacer));
        _time = time;
        _stats = stats;
        _logger = logger;
        _ledger = new OnDemandLedger(signer.Address, options.PricePerSymbolWei, time);
        _certificates = new CertificatePoller(disperser, options, time, logger);
        _retry = new DaRetryPipeline(Service, options.MaxRetries, TimeSpan.FromMilliseconds(options.RetryBaseDelayMs), TimeSpan.FromMilliseconds(options.RetryMaxDelayMs), time, stats, logger);
    }

    public DaCommitmentKind Kind => DaCommitmentKind.DisperserCertificate;

    public OnDemandLedger Ledger => _ledger;

    public void Dispose() => _ledger.Dispose();

    public DaStatsCollector Stats => _stats;

    /// <summary>gRPC deadlines are wall-clock instants.</summary>
    public static DateTime Deadline(DisperserDaOptions options) => DateTime.UtcNow.AddMilliseconds(options.RequestTimeoutMs);

    public async Task<DaResult<PaymentState>> RefreshPaymentStateAsync(CancellationToken cancellationToken)
    {
        var timestamp = (ulong)((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100);
        var request = new GetPaymentStateRequest
        {
            AccountId = _signer.Address,
            Timestamp = timestamp,
            Signature = ByteString.CopyFrom(_signer.Sign(PaymentStateRequestHasher.Digest(_signer.Address, timestamp))),
        };
        var called = await CallAsync((deadline, ct) => _disperser.GetPaymentStateAsync(request, deadline: deadline, cancellationToken: ct).ResponseAsync, "GetPaymentState", cancellationToken).ConfigureAwait(false);
        if (!called.Succeeded)
        {
            return called.As<PaymentState>();
        }

        var reply = called.Value;
        var now = _time.GetUtcNow();
        var reservation = reply.Reservation;
        DateTimeOffset? start = reservation is null ? null : DateTimeOffset.FromUnixTimeSeconds(reservation.StartTimestamp);
        DateTimeOffset? end = reservation is null ? null : DateTimeOffset.FromUnixTimeSeconds(reservation.EndTimestamp);
        var active = reservation is not null && start <= now && now < end;
        var reservedBytesPerSecond = active ? checked((long)reservation!.SymbolsPerSecond * BlobCodec.SymbolSize) : 0;
        var global = reply.PaymentGlobalParams;
        var used = new System.Numerics.BigInteger(reply.CumulativePayment.Span, isUnsigned: true, isBigEndian: true);
        var deposit = new System.Numerics.BigInteger(reply.OnchainCumulativePayment.Span, isUnsigned: true, isBigEndian: true);

        _pacer.UpdateReservation(reservedBytesPerSecond);
        _ledger.Adopt(used, global?.PricePerSymbol ?? 0);
        return DaResult<PaymentState>.Ok(new PaymentState(reservedBytesPerSecond, start, end, used, deposit, global?.PricePerSymbol ?? 0, global?.MinNumSymbols ?? 0));
    }

    public async ValueTask<DaResult<DaCommitment>> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        var certificate = await DisperseAsync(batch, cancellationToken).ConfigureAwait(false);
        return certificate.Succeeded
            ? DaResult<DaCommitment>.Ok(new DaCommitment(DaCommitmentKind.DisperserCertificate, certificate.Value.ToByteArray()))
            : certificate.As<DaCommitment>();
    }

    public async ValueTask<DaResult<ReadOnlyMemory<byte>>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        DisperserCertificate certificate;
        try
        {
            certificate = DisperserCertificate.Parser.ParseFrom(commitment.Body.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            return DaFailure.CertificateInvalid("disperser certificate bytes are not a valid certificate", e);
        }

        if (certificate.BlobKey.Length != 32)
        {
            return DaFailure.CertificateInvalid("disperser certificate has no 32-byte blob key");
        }

        var header = certificate.BlobInclusionInfo?.BlobCertificate?.BlobHeader;
        if (header is not null && !BlobKeyHasher.ComputeBlobKey(header).AsSpan().SequenceEqual(certificate.BlobKey.Span))
        {
            return DaFailure.CertificateInvalid("disperser certificate's blob header does not hash to its blob key");
        }

        var called = await CallAsync(
            (deadline, ct) => _relay.GetBlobAsync(new GetBlobRequest { BlobKey = certificate.BlobKey }, deadline: deadline, cancellationToken: ct).ResponseAsync,
            "relay GetBlob",
            cancellationToken).ConfigureAwait(false);
        if (called.Failure is { Cause: RpcException { StatusCode: StatusCode.NotFound } notFound })
        {
            return DaFailure.NotFound($"relay has no blob 0x{Convert.ToHexStringLower(certificate.BlobKey.Span)}", notFound);
        }

        if (called.Failure is { Cause: RpcException { StatusCode: StatusCode.PermissionDenied } refused })
        {
            return DaFailure.Rejected($"relay refused GetBlob ({refused.StatusCode}): {refused.Status.Detail}", refused);
        }

        if (!called.Succeeded)
        {
            return called.As<ReadOnlyMemory<byte>>();
        }

        var blob = called.Value.Blob.Memory;
        var expected = header?.Commitment;
        if (expected is not null)
        {
            var blobBytes = (long)expected.Length * BlobCodec.SymbolSize;
            if (blob.Length > blobBytes)
            {
                return DaFailure.CertificateInvalid($"relay returned {blob.Length} bytes for a blob of {blobBytes} bytes");
            }

            if (_options.VerifyBlobOnRead)
            {
                var padded = new byte[blobBytes];
                blob.Span.CopyTo(padded);
                var actual = await GetCommitmentAsync(padded, cancellationToken).ConfigureAwait(false);
                if (!actual.Succeeded)
                {
                    return actual.As<ReadOnlyMemory<byte>>();
                }

                if (!actual.Value.Commitment.Span.SequenceEqual(expected.Commitment.Span))
                {
                    return DaFailure.CertificateInvalid("blob from the relay does not match the certificate's KZG commitment");
                }
            }
        }

        return DaResult<ReadOnlyMemory<byte>>.Ok(BlobCodec.Decode(blob.Span));
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

    private async Task<DaResult<DisperserCertificate>> DisperseAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        var blob = BlobCodec.Encode(batch.Span);
        await SyncPaymentStateOnceAsync(cancellationToken).ConfigureAwait(false);
        var pacing = await _pacer.AcquireAsync(blob.Length, cancellationToken).ConfigureAwait(false);
        if (pacing.Lane == PaymentLane.OnDemand)
        {
            _stats.WentOnDemand(pacing.ChargedBytes);
        }

        var commitment = await GetCommitmentAsync(blob, cancellationToken).ConfigureAwait(false);
        if (!commitment.Succeeded)
        {
            return commitment.As<DisperserCertificate>();
        }

        var lane = pacing.Lane;
        while (true)
        {
            byte[] blobKey;
            DaResult<DisperseBlobReply> dispersed;
            using (await _ledger.EnterAsync(lane, cancellationToken).ConfigureAwait(false))
            {
                // On-demand: the header (and its cumulative payment) is built inside the lane, in dispersal order.
                var header = new BlobHeader { Version = (uint)_options.BlobVersion, Commitment = commitment.Value, PaymentHeader = _ledger.NextHeader(lane, pacing.ChargedBytes) };
                header.QuorumNumbers.AddRange(_options.EffectiveQuorums);
                blobKey = BlobKeyHasher.ComputeBlobKey(header);
                var request = new DisperseBlobRequest
                {
                    Blob = ByteString.CopyFrom(blob),
                    BlobHeader = header,
                    Signature = ByteString.CopyFrom(_signer.Sign(blobKey)),
                };
                AnchorSignature.Add(request, blobKey, _options.AnchorChainId, _options.DisperserId, _signer);
                dispersed = await CallAsync((deadline, ct) => _disperser.DisperseBlobAsync(request, deadline: deadline, cancellationToken: ct).ResponseAsync, "DisperseBlob", cancellationToken).ConfigureAwait(false);
            }

            if (dispersed.Failure is { Cause: RpcException { StatusCode: StatusCode.PermissionDenied } denied })
            {
                if (lane == PaymentLane.OnDemand || !_options.OnDemandEnabled)
                {
                    var what = lane == PaymentLane.OnDemand ? "on-demand payment" : "the reservation";
                    return DaFailure.Unavailable(DaUnavailableReason.ReservationRejected, $"disperser refused {what}: {denied.Status.Detail}", denied);
                }

                LogReservationRefused(_logger, denied.Status.Detail);
                _pacer.MovedToOnDemand(pacing.ChargedBytes);
                _stats.WentOnDemand(pacing.ChargedBytes);
                lane = PaymentLane.OnDemand;
                continue;
            }

            if (!dispersed.Succeeded)
            {
                return dispersed.As<DisperserCertificate>();
            }

            var reply = dispersed.Value;
            if (!reply.BlobKey.Span.SequenceEqual(blobKey))
            {
                return DaFailure.ProtocolViolation($"disperser returned blob key 0x{Convert.ToHexStringLower(reply.BlobKey.Span)}, expected 0x{Convert.ToHexStringLower(blobKey)}");
            }

            if (reply.Result is BlobStatus.Failed or BlobStatus.Unknown)
            {
                return DaFailure.Unavailable(DaUnavailableReason.DispersalFailed, $"disperser answered DisperseBlob with {reply.Result}");
            }

            return await _certificates.AwaitAsync(blobKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>First put only: adopt the disperser's payment state; without it the configuration stands.</summary>
    private async Task SyncPaymentStateOnceAsync(CancellationToken cancellationToken)
    {
        if (!_options.SyncPaymentState || Interlocked.Exchange(ref _paymentStateSynced, 1) == 1)
        {
            return;
        }

        var refreshed = await RefreshPaymentStateAsync(cancellationToken).ConfigureAwait(false);
        if (refreshed.Failure is { } failure)
        {
            LogPaymentStateUnavailable(_logger, failure.Message);
            return;
        }

        var state = refreshed.Value;
        LogPaymentState(_logger, state.ReservedBytesPerSecond, state.ReservationEnd, state.CumulativePaymentWei.ToString(CultureInfo.InvariantCulture));
    }

    private async Task<DaResult<BlobCommitment>> GetCommitmentAsync(byte[] blob, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(
            (deadline, ct) => _disperser.GetBlobCommitmentAsync(new BlobCommitmentRequest { Blob = ByteString.CopyFrom(blob) }, deadline: deadline, cancellationToken: ct).ResponseAsync,
            "GetBlobCommitment",
            cancellationToken).ConfigureAwait(false);
        if (!reply.Succeeded)
        {
            return reply.As<BlobCommitment>();
        }

        return reply.Value.BlobCommitment is { } commitment
            ? DaResult<BlobCommitment>.Ok(commitment)
            : DaFailure.ProtocolViolation("disperser returned no blob commitment");
    }

    /// <summary>
    /// One unary call, retried on transient codes. InvalidArgument / AlreadyExists / Unauthenticated and the like
    /// are <see cref="DaError.Rejected"/>; PermissionDenied and NotFound are too, with the <see cref="RpcException"/>
    /// as the failure's cause for the caller to interpret.
    /// </summary>
    private ValueTask<DaResult<T>> CallAsync<T>(Func<DateTime, CancellationToken, Task<T>> call, string operation, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async ct =>
        {
            try
            {
                return DaResult<T>.Ok(await call(Deadline(_options), ct).ConfigureAwait(false));
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.Unauthenticated or StatusCode.OutOfRange or StatusCode.FailedPrecondition or StatusCode.Unimplemented)
            {
                return DaFailure.Rejected($"disperser rejected {operation} ({e.StatusCode}): {e.Status.Detail}", e);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.NotFound)
            {
                // Codes no step expects here are a setup problem; the steps that do expect them look at the cause.
                return DaFailure.Rejected($"disperser refused the request ({e.StatusCode}): {e.Status.Detail}", e);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
            catch (RpcException e)
            {
                return DaFailure.Transient($"{e.StatusCode} {e.Status.Detail}", e);
            }
        }, operation, cancellationToken);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "EigenDA reservation refused the blob ({Detail}); paying on-demand")]
    private static partial void LogReservationRefused(ILogger logger, string detail);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "EigenDA payment state: reserved {BytesPerSecond} bytes/s until {ReservationEnd}, on-demand used {CumulativeWei} wei")]
    private static partial void LogPaymentState(ILogger logger, long bytesPerSecond, DateTimeOffset? reservationEnd, string cumulativeWei);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "EigenDA payment state unavailable ({Detail}); pacing from configuration")]
    private static partial void LogPaymentStateUnavailable(ILogger logger, string detail);
}
