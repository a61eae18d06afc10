using System.Collections.Concurrent;
using System.Numerics;
using System.Text;
using DaClient.Codec;
using DaClient.Disperser;
using DaClient.Disperser.Wire;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace DaClient.Tests.Fakes;

/// <summary>
/// An in-process gRPC server implementing the disperser v2 and relay protos: validates requests
/// the way the disperser documents (field elements, commitment length, signature recovering to
/// the account, payment lane), walks each blob through QUEUED → ENCODED → GATHERING_SIGNATURES →
/// COMPLETE as it is polled, and serves blobs back like a relay. Faults are switchable.
/// </summary>
internal sealed class FakeEigenDaDisperser : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StoredBlob> _blobs = new();
    private readonly ConcurrentQueue<DisperseBlobRequest> _dispersals = new();
    private readonly ConcurrentQueue<BlobStatus> _statusesServed = new();
    private WebApplication? _app;
    private int _unavailableLeft;
    private int _statusPolls;
    private BigInteger _lastCumulativePayment;
    private int _paymentStateRequests;

    public string Address { get; private set; } = "";

    public volatile bool RejectReservation;
    public volatile bool RejectOnDemand;
    public volatile bool NeverCertify;
    public volatile bool TamperOnRead;
    public int ExtraSigningPolls;
    public BlobStatus FinalStatus = BlobStatus.Complete;
    public byte SignedPercentage = 100;

    /// <summary>Reservation GetPaymentState reports (symbols/s; 0 = no reservation), and its window.</summary>
    public ulong ReservationSymbolsPerSecond;
    public DateTimeOffset ReservationStart = DateTimeOffset.UtcNow.AddDays(-1);
    public DateTimeOffset ReservationEnd = DateTimeOffset.UtcNow.AddDays(30);

    /// <summary>On-demand wei already used by the account, and the vault's price per symbol.</summary>
    public BigInteger ReportedCumulativePayment;
    public ulong ReportedPricePerSymbol = 2000;

    /// <summary>Answer GetPaymentState with UNIMPLEMENTED, like an older disperser.</summary>
    public volatile bool PaymentStateUnimplemented;

    public int PaymentStateRequests => Volatile.Read(ref _paymentStateRequests);

    /// <summary>Chain id and disperser id an anchor signature must name (when one is sent).</summary>
    public long AnchorChainId;

    public IReadOnlyCollection<DisperseBlobRequest> Dispersals => _dispersals;

    public IReadOnlyCollection<BlobStatus> StatusesServed => _statusesServed;

    public int StatusPolls => Volatile.Read(ref _statusPolls);

    public int AcceptedBlobs => _blobs.Count;

    /// <summary>The next <paramref name="count"/> DisperseBlob calls fail with UNAVAILABLE.</summary>
    public void FailNextDispersals(int count) => Volatile.Write(ref _unavailableLeft, count);

    public static async Task<FakeEigenDaDisperser> StartAsync()
    {
        var fake = new FakeEigenDaDisperser();
        var (app, port) = await LoopbackHost.StartAsync(
            HttpProtocols.Http2,
            builder =>
            {
                builder.Services.AddGrpc(o =>
                {
                    o.MaxReceiveMessageSize = 20 * 1024 * 1024;
                    o.MaxSendMessageSize = 20 * 1024 * 1024;
                });
                builder.Services.AddSingleton(new DisperserService(fake));
                builder.Services.AddSingleton(new RelayService(fake));
            },
            app =>
            {
                app.MapGrpcService<DisperserService>();
                app.MapGrpcService<RelayService>();
            });
        fake._app = app;
        fake.Address = $"http://127.0.0.1:{port}";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private DisperseBlobReply Disperse(DisperseBlobRequest request)
    {
        _dispersals.Enqueue(request);
        if (Interlocked.Decrement(ref _unavailableLeft) >= 0)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "disperser is restarting"));
        }

        var blob = request.Blob.Span;
        if (blob.IsEmpty || blob.Length > BlobCodec.MaxBlobBytes)
        {
            throw Invalid("blob size must be in (0, 16 MiB]");
        }

        if (!BlobCodec.IsFieldElementSafe(blob))
        {
            throw Invalid("blob contains a 32-byte word outside the bn254 field");
        }

        var header = request.BlobHeader ?? throw Invalid("blob header is missing");
        var commitment = header.Commitment ?? throw Invalid("blob commitment is missing");
        if (!BitOperations.IsPow2(commitment.Length) || commitment.Length * 32L < blob.Length)
        {
            throw Invalid("commitment length must be a power of 2 and at least the blob length");
        }

        if (header.Version != 0)
        {
            throw Invalid($"blob version {header.Version} not found in the threshold registry");
        }

        if (header.QuorumNumbers.Count == 0)
        {
            throw Invalid("at least one quorum is required");
        }

        var payment = header.PaymentHeader ?? throw Invalid("payment header is missing");
        var blobKey = BlobKeyHasher.ComputeBlobKey(header);
        if (request.Signature.Length != 65)
        {
            throw Invalid("signature must be 65 bytes");
        }

        var signer = AccountSigner.RecoverAddress(blobKey, request.Signature.Span);
        if (!string.Equals(signer, payment.AccountId, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("authentication failed");
        }

        if (!request.AnchorSignature.IsEmpty)
        {
            CheckAnchor(request, blobKey, payment.AccountId);
        }

        if (payment.CumulativePayment.IsEmpty)
        {
            if (RejectReservation)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "reservation payment validation failed: insufficient bandwidth"));
            }
        }
        else
        {
            if (RejectOnDemand)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "insufficient on-demand funds"));
            }

            var cumulative = new BigInteger(payment.CumulativePayment.Span, isUnsigned: true, isBigEndian: true);
            lock (_blobs)
            {
                if (cumulative <= _lastCumulativePayment)
                {
                    throw Invalid("cumulative payment must increase");
                }

                _lastCumulativePayment = cumulative;
            }
        }

        var stored = new StoredBlob(request.Blob, header, request.Signature);
        if (!_blobs.TryAdd(Convert.ToHexStringLower(blobKey), stored))
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "blob already exists"));
        }

        return new DisperseBlobReply { Result = BlobStatus.Queued, BlobKey = ByteString.CopyFrom(blobKey) };
    }

    private void CheckAnchor(DisperseBlobRequest request, byte[] blobKey, string account)
    {
        var chainId = new byte[32];
        var value = new BigInteger(AnchorChainId);
        value.TryWriteBytes(chainId.AsSpan(32 - value.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        if (!request.ChainId.Span.SequenceEqual(chainId))
        {
            throw Invalid("anchor chain id mismatch");
        }

        var preimage = new List<byte>(Encoding.ASCII.GetBytes("disperser.DisperseBlobRequest"));
        preimage.AddRange(chainId);
        preimage.AddRange([(byte)(request.DisperserId >> 24), (byte)(request.DisperserId >> 16), (byte)(request.DisperserId >> 8), (byte)request.DisperserId]);
        preimage.AddRange(blobKey);
        var signer = AccountSigner.RecoverAddress(DaCommitment.Keccak256(preimage.ToArray()), request.AnchorSignature.Span);
        if (!string.Equals(signer, account, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("anchor signature does not recover to the account");
        }
    }

    private BlobStatusReply Status(BlobStatusRequest request)
    {
        Interlocked.Increment(ref _statusPolls);
        if (request.BlobKey.Length != 32)
        {
            throw Invalid("blob key must be 32 bytes");
        }

        if (!_blobs.TryGetValue(Hex(request.BlobKey), out var stored))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "no such blob found"));
        }

        var poll = Interlocked.Increment(ref stored.Polls) - 1;
        var status = poll switch
        {
            0 => BlobStatus.Queued,
            1 => BlobStatus.Encoded,
            _ when NeverCertify || poll < 3 + ExtraSigningPolls => BlobStatus.GatheringSignatures,
            _ => FinalStatus,
        };
        _statusesServed.Enqueue(status);

        var reply = new BlobStatusReply { Status = status };
        if (status is BlobStatus.GatheringSignatures or BlobStatus.Complete)
        {
            var attestation = new Attestation
            {
                ApkG2 = ByteString.CopyFrom(new byte[64]),
                Sigma = ByteString.CopyFrom(new byte[32]),
                QuorumSignedPercentages = ByteString.CopyFrom(Enumerable.Repeat(SignedPercentage, stored.Header.QuorumNumbers.Count).ToArray()),
            };
            attestation.QuorumNumbers.AddRange(stored.Header.QuorumNumbers);
            reply.SignedBatch = new SignedBatch
            {
                Header = new BatchHeader { BatchRoot = ByteString.CopyFrom(DaCommitment.Keccak256(request.BlobKey.Span)), ReferenceBlockNumber = 100 },
                Attestation = attestation,
            };
            var certificate = new BlobCertificate { BlobHeader = stored.Header, Signature = stored.Signature };
            certificate.RelayKeys.Add(0);
            reply.BlobInclusionInfo = new BlobInclusionInfo { BlobCertificate = certificate, BlobIndex = 0, InclusionProof = ByteString.CopyFrom(new byte[32]) };
        }

        return reply;
    }

    private GetPaymentStateReply PaymentState(GetPaymentStateRequest request)
    {
        Interlocked.Increment(ref _paymentStateRequests);
        if (PaymentStateUnimplemented)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "unknown method GetPaymentState"));
        }

        var signer = AccountSigner.RecoverAddress(PaymentStateRequestHasher.Digest(request.AccountId, request.Timestamp), request.Signature.Span);
        if (!string.Equals(signer, request.AccountId, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "failed to authenticate payment state request"));
        }

        var reply = new GetPaymentStateReply
        {
            PaymentGlobalParams = new PaymentGlobalParams { MinNumSymbols = 4096, PricePerSymbol = ReportedPricePerSymbol, ReservationWindow = 300 },
            CumulativePayment = ByteString.CopyFrom(ReportedCumulativePayment.ToByteArray(isUnsigned: true, isBigEndian: true)),
            OnchainCumulativePayment = ByteString.CopyFrom(BigInteger.Pow(10, 18).ToByteArray(isUnsigned: true, isBigEndian: true)),
        };
        if (ReservationSymbolsPerSecond > 0)
        {
            reply.Reservation = new Reservation
            {
                SymbolsPerSecond = ReservationSymbolsPerSecond,
                StartTimestamp = (uint)ReservationStart.ToUnixTimeSeconds(),
                EndTimestamp = (uint)ReservationEnd.ToUnixTimeSeconds(),
            };
            reply.Reservation.QuorumNumbers.AddRange([0u, 1u]);
        }

        lock (_blobs)
        {
            _lastCumulativePayment = BigInteger.Max(_lastCumulativePayment, ReportedCumulativePayment);
        }

        return reply;
    }

    private GetBlobReply Read(GetBlobRequest request)
    {
        if (!_blobs.TryGetValue(Hex(request.BlobKey), out var stored))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "blob not found"));
        }

        // Relays may drop trailing zero bytes; readers pad them back.
        var blob = stored.Blob.Span.TrimEnd((byte)0).ToArray();
        if (TamperOnRead && blob.Length > 33)
        {
            blob[33] ^= 0x01;
        }

        return new GetBlobReply { Blob = ByteString.CopyFrom(blob) };
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, "failed to validate request: " + detail));

    private sealed class StoredBlob(ByteString blob, BlobHeader header, ByteString signature)
    {
        public int Polls;

        public ByteString Blob { get; } = blob;

        public BlobHeader Header { get; } = header;

        public ByteString Signature { get; } = signature;
    }

    private sealed class DisperserService(FakeEigenDaDisperser fake) : DaClient.Disperser.Wire.Disperser.DisperserBase
    {
        public override Task<DisperseBlobReply> DisperseBlob(DisperseBlobRequest request, ServerCallContext context) => Task.FromResult(fake.Disperse(request));

        public override Task<BlobStatusReply> GetBlobStatus(BlobStatusRequest request, ServerCallContext context) => Task.FromResult(fake.Status(request));

        public override Task<GetPaymentStateReply> GetPaymentState(GetPaymentStateRequest request, ServerCallContext context) => Task.FromResult(fake.PaymentState(request));

        public override Task<BlobCommitmentReply> GetBlobCommitment(BlobCommitmentRequest request, ServerCallContext context) =>
            Task.FromResult(new BlobCommitmentReply { BlobCommitment = FakeKzg.Commit(request.Blob.Span) });
    }

    private sealed class RelayService(FakeEigenDaDisperser fake) : Relay.RelayBase
    {
        public override Task<GetBlobReply> GetBlob(GetBlobRequest request, ServerCallContext context) => Task.FromResult(fake.Read(request));
    }
}
