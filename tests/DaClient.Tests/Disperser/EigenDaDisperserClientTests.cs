using System.Numerics;
using DaClient.Disperser;
using DaClient.Disperser.Wire;
using DaClient.Tests.Fakes;
using Google.Protobuf;
using Grpc.Net.Client;

namespace DaClient.Tests.Disperser;

public sealed class EigenDaDisperserClientTests : IAsyncLifetime
{
    // Test-only key; never used outside these tests.
    private const string AccountKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    private FakeEigenDaDisperser _disperser = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _disperser = await FakeEigenDaDisperser.StartAsync();
        _channel = GrpcChannel.ForAddress(_disperser.Address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 20 * 1024 * 1024,
            MaxSendMessageSize = 20 * 1024 * 1024,
        });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _disperser.DisposeAsync();
    }

    private static DisperserDaOptions Options(Action<DisperserDaOptions>? configure = null)
    {
        var options = new DisperserDaOptions
        {
            Endpoint = "http://unused",
            RelayEndpoint = "http://unused",
            AccountKey = AccountKey,
            StatusPollIntervalMs = 1,
            StatusPollMaxIntervalMs = 4,
            CertifiedTimeoutMs = 30_000,
            RequestTimeoutMs = 10_000,
            RetryBaseDelayMs = 1,
            RetryMaxDelayMs = 4,
            ReservedBytesPerSecond = 1L << 40,
            MinBillableSymbols = 1,
            PricePerSymbolWei = 1000,
            SyncPaymentState = false,
        };
        configure?.Invoke(options);
        return options;
    }

    private EigenDaDisperserClient Client(DisperserDaOptions options) =>
        new(_channel, _channel, options, AccountSigner.FromOptions(options), DaClientFactory.CreatePacer(options));

    private static byte[] Batch(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Put_walks_the_statuses_to_a_certificate_and_get_reads_the_batch_back_from_the_relay()
    {
        var client = Client(Options());
        var batch = Batch(200_000);

        var commitment = await client.PutAsync(batch, CancellationToken.None);
        var read = await client.GetAsync(DaCommitment.Parse(commitment.ToBytes()), CancellationToken.None);

        Assert.Equal(DaCommitmentKind.DisperserCertificate, commitment.Kind);
        Assert.Equal(batch, read.ToArray());
        Assert.Equal([BlobStatus.Queued, BlobStatus.Encoded, BlobStatus.GatheringSignatures, BlobStatus.Complete], _disperser.StatusesServed);
        var certificate = DisperserCertificate.Parser.ParseFrom(commitment.Body.Span);
        Assert.Equal(32, certificate.BlobKey.Length);
        Assert.Equal(client.Account, certificate.BlobInclusionInfo.BlobCertificate.BlobHeader.PaymentHeader.AccountId);
        Assert.Equal(1, client.Stats.Puts);
        Assert.Equal(0, client.Stats.OnDemandBytes);
    }

    [Fact]
    public async Task Dispersal_is_signed_by_the_account_over_the_blob_key_and_uses_the_reservation()
    {
        var client = Client(Options());

        await client.PutAsync(Batch(100), CancellationToken.None);

        var request = Assert.Single(_disperser.Dispersals);
        var header = request.BlobHeader;
        Assert.True(header.PaymentHeader.CumulativePayment.IsEmpty);
        Assert.Equal([0u, 1u], header.QuorumNumbers);
        Assert.Equal(new Nethereum.Signer.EthECKey(AccountKey).GetPublicAddress(), header.PaymentHeader.AccountId);
        Assert.Equal(header.PaymentHeader.AccountId, AccountSigner.RecoverAddress(BlobKeyHasher.ComputeBlobKey(header), request.Signature.Span));
        Assert.Equal(0, request.Signature[64] & 0xFE); // V is 0 or 1
    }

    [Fact]
    public async Task A_slow_certificate_is_awaited_with_backoff_polling()
    {
        _disperser.ExtraSigningPolls = 12;
        var client = Client(Options());

        var commitment = await client.PutAsync(Batch(1000), CancellationToken.None);

        Assert.Equal(DaCommitmentKind.DisperserCertificate, commitment.Kind);
        Assert.Equal(16, _disperser.StatusPolls);
        Assert.Equal(13, _disperser.StatusesServed.Count(s => s == BlobStatus.GatheringSignatures));
    }

    [Fact]
    public async Task No_certificate_within_the_timeout_is_a_failover()
    {
        _disperser.NeverCertify = true;
        var client = Client(Options(o => o.CertifiedTimeoutMs = 300));

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(1000), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.CertificationTimeout, error.Reason);
        Assert.Equal(1, client.Stats.Failovers);
    }

    [Fact]
    public async Task A_failed_dispersal_is_a_failover()
    {
        _disperser.FinalStatus = BlobStatus.Failed;
        var client = Client(Options());

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(1000), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.DispersalFailed, error.Reason);
    }

    [Fact]
    public async Task Complete_below_the_signing_threshold_is_a_failover()
    {
        _disperser.SignedPercentage = 40;
        var client = Client(Options(o => o.RequiredSignedPercentage = 55));

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(1000), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.DispersalFailed, error.Reason);
        Assert.Contains("signed 40%", error.Message);
    }

    [Fact]
    public async Task A_rejected_reservation_with_on_demand_off_is_a_failover()
    {
        _disperser.RejectReservation = true;
        var client = Client(Options(o => o.OnDemandEnabled = false));

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(1000), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.ReservationRejected, error.Reason);
        Assert.Single(_disperser.Dispersals);
        Assert.Equal(0, _disperser.AcceptedBlobs);
    }

    [Fact]
    public async Task A_rejected_reservation_with_on_demand_on_is_paid_on_demand_and_counted()
    {
        _disperser.RejectReservation = true;
        var client = Client(Options(o => o.OnDemandEnabled = true));
        var batch = Batch(1000);

        var commitment = await client.PutAsync(batch, CancellationToken.None);

        var requests = _disperser.Dispersals.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[0].BlobHeader.PaymentHeader.CumulativePayment.IsEmpty);
        var paid = new BigInteger(requests[1].BlobHeader.PaymentHeader.CumulativePayment.Span, isUnsigned: true, isBigEndian: true);
        var symbols = DaClient.Codec.BlobCodec.SymbolCount(batch.Length);
        Assert.Equal(symbols * 1000, paid);
        Assert.Equal(symbols * 32, client.Stats.OnDemandBytes);
        Assert.Equal(batch, (await client.GetAsync(commitment, CancellationToken.None)).ToArray());
    }

    [Fact]
    public async Task Blobs_that_would_wait_too_long_for_the_reservation_go_on_demand()
    {
        var client = Client(Options(o =>
        {
            o.ReservedBytesPerSecond = 1;
            o.ReservationBurstBytes = 1;
            o.MaxPacingWaitMs = 0;
            o.OnDemandEnabled = true;
        }));

        await client.PutAsync(Batch(100, 1), CancellationToken.None);
        await client.PutAsync(Batch(100, 2), CancellationToken.None);

        var requests = _disperser.Dispersals.ToArray();
        Assert.True(requests[0].BlobHeader.PaymentHeader.CumulativePayment.IsEmpty);
        Assert.False(requests[1].BlobHeader.PaymentHeader.CumulativePayment.IsEmpty);
        Assert.Equal(DaClient.Codec.BlobCodec.BlobLength(100), client.Stats.OnDemandBytes);
    }

    [Fact]
    public async Task Concurrent_on_demand_puts_reach_the_disperser_with_rising_cumulative_payments()
    {
        var client = Client(Options(o => { o.ReservedBytesPerSecond = 0; o.OnDemandEnabled = true; }));

        var puts = Enumerable.Range(0, 8).Select(i => client.PutAsync(Batch(100, i), CancellationToken.None).AsTask()).ToArray();
        await Task.WhenAll(puts);

        var payments = _disperser.Dispersals
            .Select(r => new BigInteger(r.BlobHeader.PaymentHeader.CumulativePayment.Span, isUnsigned: true, isBigEndian: true))
            .ToArray();
        Assert.Equal(8, payments.Length);
        Assert.Equal(payments.Order(), payments);
        Assert.Equal(8, payments.Distinct().Count());
    }

    [Fact]
    public async Task Payment_state_from_the_disperser_sets_the_reservation_and_continues_the_on_demand_total()
    {
        _disperser.ReservationSymbolsPerSecond = 1024;
        _disperser.ReportedCumulativePayment = 5_000_000;
        var client = Client(Options(o => o.ReservedBytesPerSecond = 1));

        var state = await client.RefreshPaymentStateAsync(CancellationToken.None);

        Assert.Equal(1024 * 32, state.ReservedBytesPerSecond);
        Assert.Equal(5_000_000, state.CumulativePaymentWei);
        Assert.Equal(2000UL, state.PricePerSymbolWei);
    }

    [Fact]
    public async Task First_put_adopts_the_payment_state_so_on_demand_payments_continue_from_the_disperser_record()
    {
        _disperser.ReservationSymbolsPerSecond = 0;
        _disperser.ReportedCumulativePayment = 5_000_000;
        var client = Client(Options(o => { o.SyncPaymentState = true; o.OnDemandEnabled = true; }));

        await client.PutAsync(Batch(100), CancellationToken.None);
        await client.PutAsync(Batch(100, 2), CancellationToken.None);

        Assert.Equal(1, _disperser.PaymentStateRequests);
        var payments = _disperser.Dispersals
            .Select(r => new BigInteger(r.BlobHeader.PaymentHeader.CumulativePayment.Span, isUnsigned: true, isBigEndian: true))
            .ToArray();
        var cost = DaClient.Codec.BlobCodec.SymbolCount(100) * 2000;
        Assert.Equal([5_000_000 + cost, 5_000_000 + 2 * cost], payments);
    }

    [Fact]
    public async Task An_expired_reservation_reported_by_the_disperser_with_on_demand_off_is_a_failover()
    {
        _disperser.ReservationSymbolsPerSecond = 1024;
        _disperser.ReservationEnd = DateTimeOffset.UtcNow.AddDays(-1);
        _disperser.ReservationStart = DateTimeOffset.UtcNow.AddDays(-10);
        var client = Client(Options(o => o.SyncPaymentState = true));

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(100), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.ReservationRejected, error.Reason);
        Assert.Empty(_disperser.Dispersals);
    }

    [Fact]
    public async Task A_disperser_without_payment_state_leaves_the_configured_reservation()
    {
        _disperser.PaymentStateUnimplemented = true;
        var client = Client(Options(o => o.SyncPaymentState = true));

        await client.PutAsync(Batch(100), CancellationToken.None);

        Assert.Equal(1, _disperser.PaymentStateRequests);
        Assert.True(Assert.Single(_disperser.Dispersals).BlobHeader.PaymentHeader.CumulativePayment.IsEmpty);
    }

    [Fact]
    public async Task Rejected_on_demand_payment_is_a_failover()
    {
        _disperser.RejectOnDemand = true;
        var client = Client(Options(o => { o.ReservedBytesPerSecond = 0; o.OnDemandEnabled = true; }));

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(10), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.ReservationRejected, error.Reason);
    }

    [Fact]
    public async Task An_unavailable_disperser_is_retried()
    {
        _disperser.FailNextDispersals(2);
        var client = Client(Options(o => o.MaxRetries = 3));

        await client.PutAsync(Batch(500), CancellationToken.None);

        Assert.Equal(3, _disperser.Dispersals.Count);
        Assert.Equal(2, client.Stats.Retries);
    }

    [Fact]
    public async Task An_unavailable_disperser_past_the_retries_is_a_failover()
    {
        _disperser.FailNextDispersals(10);
        var client = Client(Options(o => o.MaxRetries = 2));

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(500), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.RetriesExhausted, error.Reason);
        Assert.Equal(3, _disperser.Dispersals.Count);
    }

    [Fact]
    public async Task A_blob_altered_by_the_relay_is_detected()
    {
        var client = Client(Options());
        var commitment = await client.PutAsync(Batch(5000), CancellationToken.None);
        _disperser.TamperOnRead = true;

        await Assert.ThrowsAsync<DaCertificateInvalidException>(async () => await client.GetAsync(commitment, CancellationToken.None));
    }

    [Fact]
    public async Task Anchor_signature_names_chain_and_disperser_and_is_accepted()
    {
        _disperser.AnchorChainId = 17000;
        var client = Client(Options(o => { o.AnchorChainId = 17000; o.DisperserId = 0; }));

        await client.PutAsync(Batch(64), CancellationToken.None);

        var request = Assert.Single(_disperser.Dispersals);
        Assert.Equal(65, request.AnchorSignature.Length);
        Assert.Equal(32, request.ChainId.Length);
        Assert.Equal(1, _disperser.AcceptedBlobs);
    }

    [Fact]
    public async Task An_invalid_request_is_rejected_without_retry()
    {
        var client = Client(Options(o => { o.BlobVersion = 7; o.MaxRetries = 3; }));

        var error = await Assert.ThrowsAsync<DaRejectedException>(async () => await client.PutAsync(Batch(64), CancellationToken.None));

        Assert.Contains("blob version", error.Message);
        Assert.Single(_disperser.Dispersals);
        Assert.Equal(0, client.Stats.Retries);
    }

    [Fact]
    public async Task Distinct_puts_of_the_same_batch_get_distinct_blob_keys()
    {
        var client = Client(Options());

        var first = await client.PutAsync(Batch(64), CancellationToken.None);
        var second = await client.PutAsync(Batch(64), CancellationToken.None);

        Assert.NotEqual(
            DisperserCertificate.Parser.ParseFrom(first.Body.Span).BlobKey,
            DisperserCertificate.Parser.ParseFrom(second.Body.Span).BlobKey);
    }

    [Fact]
    public async Task Unknown_blob_is_not_found_and_garbage_is_an_invalid_certificate()
    {
        var client = Client(Options());
        var unknown = new DisperserCertificate { BlobKey = Google.Protobuf.ByteString.CopyFrom(new byte[32]) };

        await Assert.ThrowsAsync<DaNotFoundException>(async () => await client.GetAsync(new DaCommitment(DaCommitmentKind.DisperserCertificate, unknown.ToByteArray()), CancellationToken.None));
        await Assert.ThrowsAsync<DaCertificateInvalidException>(async () => await client.GetAsync(new DaCommitment(DaCommitmentKind.DisperserCertificate, [0xFF, 0xFF, 0xFF]), CancellationToken.None));
    }

    [Fact]
    public async Task A_certificate_whose_header_does_not_match_its_blob_key_is_invalid()
    {
        var client = Client(Options());
        var commitment = await client.PutAsync(Batch(500), CancellationToken.None);
        var forged = DisperserCertificate.Parser.ParseFrom(commitment.Body.Span);
        forged.BlobInclusionInfo.BlobCertificate.BlobHeader.PaymentHeader.Timestamp += 1;

        await Assert.ThrowsAsync<DaCertificateInvalidException>(async () =>
            await client.GetAsync(new DaCommitment(DaCommitmentKind.DisperserCertificate, forged.ToByteArray()), CancellationToken.None));
    }

    [Fact]
    public async Task Factory_built_client_carries_blobs_above_the_default_grpc_message_limit()
    {
        var options = Options(o =>
        {
            o.Endpoint = _disperser.Address;
            o.RelayEndpoint = _disperser.Address;
        });
        var client = DaClientFactory.CreateDisperser(options);
        var batch = Batch(5 * 1024 * 1024);

        var commitment = await client.PutAsync(batch, CancellationToken.None);

        Assert.Equal(batch, (await client.GetAsync(commitment, CancellationToken.None)).ToArray());
        Assert.Equal(8 * 1024 * 1024, Assert.Single(_disperser.Dispersals).Blob.Length);
    }

    [Fact]
    public async Task Health_is_reported_for_a_live_and_a_dead_disperser()
    {
        Assert.True((await Client(Options()).CheckHealthAsync(CancellationToken.None)).IsHealthy);

        using var dead = GrpcChannel.ForAddress($"http://127.0.0.1:{TestInfrastructure.Processes.FreePort.Next()}");
        var options = Options();
        var client = new EigenDaDisperserClient(dead, dead, options, AccountSigner.FromOptions(options), DaClientFactory.CreatePacer(options));

        Assert.False((await client.CheckHealthAsync(CancellationToken.None)).IsHealthy);
    }
}
