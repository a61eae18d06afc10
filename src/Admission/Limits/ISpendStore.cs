namespace Admission.Limits;

/// <summary>
/// The settlement side of wei budgets (docs/admission.md "Budgets in wei"). Admission reserves gasLimit × price with the
/// other limits (<see cref="LimitRequest.Spends"/>); once the transaction is sequenced its reservation is recorded
/// under its hash, and when the execution node's receipt is known it is settled: gasUsed × price stays charged, the
/// rest goes back to the counters it was taken from. Settling removes the record in the same atomic step, so a receipt
/// seen twice, a second replica or a restart settles nothing twice, and never more than was reserved goes back.
/// Implemented by both stores; the embedded one keeps it in process, Redis in Redis (Lua).
/// </summary>
/// <exception cref="RateLimitStoreUnavailableException">from every method, when the backend cannot be reached.</exception>
internal interface ISpendStore
{
    ValueTask RecordAsync(SpendReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Reservations of transactions in sequencer blocks up to <paramref name="uptoBlock"/>, oldest blocks first.</summary>
    ValueTask<IReadOnlyList<PendingSpend>> PendingAsync(ulong uptoBlock, int max, CancellationToken cancellationToken = default);

    /// <summary>Charges min(<paramref name="actualWei"/>, reserved) and gives the rest back; no-op for an unknown or settled hash.</summary>
    ValueTask<SettleOutcome> SettleAsync(string txHash, UInt128 actualWei, long nowUs, CancellationToken cancellationToken = default);

    /// <summary>Wei counters at <paramref name="nowUs"/>; 0 for absent or expired ones.</summary>
    ValueTask<UInt128[]> ReadSpendAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default);

    /// <summary>True for the first caller (of any replica) to mark <paramref name="key"/> before <paramref name="expiresAtUs"/>.</summary>
    ValueTask<bool> TryMarkAsync(string key, long nowUs, long expiresAtUs, CancellationToken cancellationToken = default);
}
