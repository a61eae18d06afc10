using System.Numerics;

namespace DaClient.Disperser;

/// <summary>What the disperser reports about the payment account (GetPaymentState).</summary>
public sealed record PaymentState(
    long ReservedBytesPerSecond,
    DateTimeOffset? ReservationStart,
    DateTimeOffset? ReservationEnd,
    BigInteger CumulativePaymentWei,
    BigInteger OnchainDepositWei,
    ulong PricePerSymbolWei,
    ulong MinBillableSymbols);
