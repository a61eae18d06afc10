using System.Numerics;
using DaClient.Codec;
using DaClient.Disperser.Wire;
using Google.Protobuf;

namespace DaClient.Disperser;

/// <summary>
/// The account's payment headers: a timestamp that never repeats (it is part of the blob key) and, on the
/// on-demand lane, the cumulative payment, which must rise in the order the disperser receives the dispersals,
/// so on-demand dispersals go through <see cref="EnterAsync"/> one at a time.
/// </summary>
internal sealed class OnDemandLedger(string account, BigInteger pricePerSymbolWei, TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _onDemandGate = new(1, 1);
    private BigInteger _cumulativePaymentWei;
    private BigInteger _pricePerSymbolWei = pricePerSymbolWei;
    private long _lastTimestampNs;

    /// <summary>Continues on-demand accounting from <paramref name="wei"/> (the disperser's record).</summary>
    public void SetCumulativePayment(BigInteger wei)
    {
        lock (_lock)
        {
            _cumulativePaymentWei = wei;
        }
    }

    /// <summary>Adopts the disperser's record: the running total never goes back; a price of 0 means none given.</summary>
    public void Adopt(BigInteger used, ulong pricePerSymbol)
    {
        lock (_lock)
        {
            if (used > _cumulativePaymentWei)
            {
                _cumulativePaymentWei = used;
            }

            if (pricePerSymbol > 0)
            {
                _pricePerSymbolWei = pricePerSymbol;
            }
        }
    }

    /// <summary>Waits for the on-demand lane (null for the reservation lane, which needs no order); dispose to leave it.</summary>
    public async ValueTask<IDisposable?> EnterAsync(PaymentLane lane, CancellationToken cancellationToken)
    {
        if (lane != PaymentLane.OnDemand)
        {
            return null;
        }

        await _onDemandGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_onDemandGate);
    }

    /// <summary>The next payment header; on the on-demand lane it charges <paramref name="chargedBytes"/> (call inside the lane).</summary>
    public PaymentHeader NextHeader(PaymentLane lane, long chargedBytes)
    {
        var payment = new PaymentHeader { AccountId = account };
        lock (_lock)
        {
            // The timestamp is part of the blob key, so it must never repeat for this account.
            var now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
            _lastTimestampNs = Math.Max(now, _lastTimestampNs + 1);
            payment.Timestamp = _lastTimestampNs;
            if (lane == PaymentLane.OnDemand)
            {
                var symbols = chargedBytes / BlobCodec.SymbolSize;
                _cumulativePaymentWei += symbols * _pricePerSymbolWei;
                payment.CumulativePayment = ByteString.CopyFrom(_cumulativePaymentWei.ToByteArray(isUnsigned: true, isBigEndian: true));
            }
        }

        return payment;
    }

    public void Dispose() => _onDemandGate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
