using Admission.Limits;

namespace Admission.Spending;

/// <summary>
/// The host's side of wei budgets: records what an admitted transaction reserved once the sequencer has its hash and
/// block, lists the reservations whose blocks are executed, and settles each on its receipt (gasUsed × price charged,
/// the rest released). Settling is idempotent (the store deletes the reservation in the same step), so the host may
/// settle a block again after a restart, or on two replicas.
/// </summary>
public sealed class SpendLedger
{
    private readonly ISpendStore? store;
    private readonly SpendMeter meter;
    private readonly TimeProvider time;

    internal SpendLedger(IRateLimitStore store, SponsoredGasPrice price, SpendMeter meter, TimeProvider time)
    {
        this.store = store as ISpendStore;
        Price = price;
        this.meter = meter;
        this.time = time;
    }

    public SponsoredGasPrice Price { get; }

    /// <summary>True when reservations are recorded and settled: a price above 0 and an execution node.</summary>
    public bool Settles => store is not null && Price.SettledOnExecution && Price.PriceWei > 0;

    /// <summary>
    /// Records an admission's reservation (its decision's <c>ReservedWei</c>, <c>PriceWei</c> and <c>SpendDay</c>) for
    /// the sequenced transaction; nothing to do without one.
    /// </summary>
    /// <exception cref="RateLimitStoreUnavailableException">the store cannot be reached (the reservation then stays charged).</exception>
    public ValueTask RecordAsync(string identity, string txHash, ulong blockNumber, UInt128 reservedWei, UInt128 priceWei, long spendDay, CancellationToken cancellationToken = default)
    {
        if (!Settles || reservedWei == 0)
        {
            return ValueTask.CompletedTask;
        }

        var reservation = new SpendReservation(txHash, blockNumber, identity, LimitKeys.DailyWei(spendDay, identity), LimitKeys.GlobalWei(spendDay),
            reservedWei, priceWei, NowUs() + SpendReservation.KeepUs);
        return store!.RecordAsync(reservation, cancellationToken);
    }

    /// <summary>Recorded reservations of transactions in sequencer blocks up to <paramref name="uptoBlock"/>, oldest first.</summary>
    public ValueTask<IReadOnlyList<PendingSpend>> PendingAsync(ulong uptoBlock, int max, CancellationToken cancellationToken = default) =>
        Settles ? store!.PendingAsync(uptoBlock, max, cancellationToken) : ValueTask.FromResult<IReadOnlyList<PendingSpend>>([]);

    /// <summary>
    /// Settles at <paramref name="gasUsed"/> × <paramref name="effectivePriceWei"/> (never more than was reserved), or,
    /// with no receipt (null), at the whole reservation.
    /// </summary>
    public async ValueTask<SettleOutcome> SettleAsync(string txHash, ulong? gasUsed, UInt128 effectivePriceWei, CancellationToken cancellationToken = default)
    {
        if (!Settles)
        {
            return SettleOutcome.NotFound;
        }

        var actual = gasUsed is { } used ? used * effectivePriceWei : UInt128.MaxValue;
        var outcome = await store!.SettleAsync(txHash, actual, NowUs(), cancellationToken).ConfigureAwait(false);
        if (outcome.Settled)
        {
            meter.Settled(gasUsed is null ? "no_receipt" : "settled");
        }

        return outcome;
    }

    private long NowUs() => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}
