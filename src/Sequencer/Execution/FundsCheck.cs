using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json;
using Primitives;
using Sequencer.Submission;
using Sequencer.Transactions;
using Sequencer.Chain;

namespace Sequencer.Execution;

/// <summary>
/// Refuses a paid transaction when the sender's balance on the execution node (at the last executed
/// block, cached per block) minus what its sequenced-but-unexecuted transactions may spend cannot cover
/// gas × maxFeePerGas + value. Sponsored transactions are not checked here (their policy bounds them).
/// </summary>
/// <remarks>
/// A transaction the node's pool would refuse for lack of funds can never be executed as sequenced (the
/// execution would diverge), so the check does not fail open: with the node unreachable the sender's last
/// known balance is used (the sequencer keeps confirming for senders it has seen), and a sender never seen
/// gets a retryable -32005 until the node is back. The cost is an upper bound (the full gas limit at the
/// fee cap), as in a node's pool.
/// </remarks>
internal sealed class FundsCheck(ExecutionNodeClient node, ExecutionFollower follower, ulong blockOffset, TimeSpan startupWait, ExecutionMetrics metrics) : IFundsCheck
{
    private const int MaxCachedBalances = 100_000;
    private readonly ConcurrentDictionary<Address, CachedBalance> _balances = new();
    private readonly ConcurrentQueue<Spend> _unexecuted = new();
    private readonly Dictionary<Address, BigInteger> _pending = new();
    private readonly Lock _pendingLock = new();

    public async ValueTask<TxRejection> ReserveAsync(DecodedTransaction tx, TxLane lane, CancellationToken cancellationToken)
    {
        if (lane != TxLane.Paid)
        {
            return TxRejection.None;
        }

        var cost = Cost(tx);
        if (!follower.ResumePointKnown)
        {
            // Just started: give the follower a moment to hear from the node.
            await Task.WhenAny(follower.ResumePointLearned, Task.Delay(startupWait, cancellationToken)).ConfigureAwait(false);
        }

        ReleaseExecuted(follower.LastExecuted);
        var balance = follower.ResumePointKnown
            ? await BalanceAsync(tx.Sender, follower.LastExecuted, cancellationToken).ConfigureAwait(false)
            : null;
        if (balance is null)
        {
            if (!_balances.TryGetValue(tx.Sender, out var lastKnown))
            {
                return new TxRejection(TxRejectionReason.BalanceUnavailable,
                    "execution node unavailable: the sender's balance cannot be checked; retry shortly");
            }

            balance = lastKnown.Balance;
        }

        lock (_pendingLock)
        {
            _pending.TryGetValue(tx.Sender, out var pending);
            if (balance is { } have && have - pending < cost)
            {
                metrics.InsufficientFunds();
                var available = BigInteger.Max(BigInteger.Zero, have - pending);
                return new TxRejection(TxRejectionReason.InsufficientFunds,
                    $"insufficient funds for gas * price + value: have {available} want {cost}");
            }

            _pending[tx.Sender] = pending + cost;
        }

        return TxRejection.None;
    }

    public void Settle(DecodedTransaction tx, TxLane lane, SequencedTransaction? sequenced)
    {
        if (lane != TxLane.Paid)
        {
            return;
        }

        if (sequenced is null)
        {
            Release(tx.Sender, Cost(tx));
            return;
        }

        _unexecuted.Enqueue(new Spend(sequenced.BlockNumber, tx.Sender, Cost(tx)));
    }

    /// <summary>Sum a sender's reserved spend (for tests and diagnostics).</summary>
    public BigInteger PendingOf(Address sender)
    {
        lock (_pendingLock)
        {
            return _pending.TryGetValue(sender, out var value) ? value : BigInteger.Zero;
        }
    }

    private static BigInteger Cost(DecodedTransaction tx) =>
        new BigInteger(tx.GasLimit) * (BigInteger)tx.MaxFeePerGas + tx.Value;

    private void ReleaseExecuted(ulong executed)
    {
        // Spends enter roughly in block order; one from a later block at the head only delays the release
        // of the ones behind it, which errs on the side of refusing.
        while (_unexecuted.TryPeek(out var spend) && spend.Block <= executed)
        {
            if (_unexecuted.TryDequeue(out spend))
            {
                Release(spend.Sender, spend.Cost);
            }
        }
    }

    private void Release(Address sender, BigInteger cost)
    {
        lock (_pendingLock)
        {
            if (_pending.TryGetValue(sender, out var pending))
            {
                var left = pending - cost;
                if (left.Sign <= 0)
                {
                    _pending.Remove(sender);
                }
                else
                {
                    _pending[sender] = left;
                }
            }
        }
    }

    private async ValueTask<BigInteger?> BalanceAsync(Address sender, ulong executed, CancellationToken cancellationToken)
    {
        if (_balances.TryGetValue(sender, out var cached) && cached.Block == executed)
        {
            return cached.Balance;
        }

        JsonElement result;
        try
        {
            result = await node.CallAsync("eth_getBalance", cancellationToken, sender.ToString(), Hex.EncodeQuantity(executed + blockOffset)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ExecutionNodeUnavailableException or ExecutionNodeErrorException)
        {
            metrics.NodeError("admission");
            return null;
        }

        if (result.ValueKind != JsonValueKind.String || Hex.TryDecode(PadOdd(result.GetString()!)) is not { } bytes)
        {
            metrics.NodeError("admission");
            return null;
        }

        var balance = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        if (_balances.Count >= MaxCachedBalances)
        {
            _balances.Clear();
        }

        _balances[sender] = new CachedBalance(executed, balance);
        return balance;
    }

    // Quantities have no leading zeros, so "0x5" must become "0x05" before decoding as bytes.
    private static string PadOdd(string quantity) => quantity.Length % 2 == 0 ? quantity : "0x0" + quantity[2..];

    private readonly record struct CachedBalance(ulong Block, BigInteger Balance);

    private readonly record struct Spend(ulong Block, Address Sender, BigInteger Cost);
}
