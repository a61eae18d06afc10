using System.Diagnostics;
using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// A decoded, validated transaction on its way to the single writer. The caller awaits
/// <see cref="Completion"/>; it completes on a pool thread once the transaction is durable
/// (or rejected), never on the writer or log threads.
/// </summary>
internal sealed class SequencingRequest(Hash32 hash, byte[] raw, Address sender, ulong nonce, ulong gasLimit)
{
    private readonly TaskCompletionSource<SequencingOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Hash32 Hash { get; } = hash;

    public byte[] Raw { get; } = raw;

    public Address Sender { get; } = sender;

    public ulong Nonce { get; } = nonce;

    public ulong GasLimit { get; } = gasLimit;

    /// <summary>The lane it came in by: the writer shares each block's gas between the lanes (<see cref="LaneScheduler"/>).</summary>
    public Transactions.TxLane Lane { get; init; }

    /// <summary>
    /// Whose share of a block it counts against (<see cref="LaneShares.MaxPerIdentityPercent"/>): by default the sender, which
    /// on the sponsored lane is the identity's account.
    /// </summary>
    public Address Payer
    {
        get => _payer ?? Sender;
        init => _payer = value;
    }

    private readonly Address? _payer;

    /// <summary>
    /// A forced-inclusion entry from L1 (docs/l1.md, "Forced inclusion"): a nonce gap is not waited for, the transaction
    /// is refused at once (its window is bounded), and <see cref="DecidedAt"/> records where the writer judged it.
    /// </summary>
    public bool Forced { get; init; }

    /// <summary>The lane's <see cref="IdentityBacklog"/> that counts it until the writer picks it (set and cleared by the backlog).</summary>
    internal IdentityBacklog? Backlog { get; set; }

    /// <summary>For a <see cref="Forced"/> request: the chain's next sequence when the single writer judged it (set by the writer).</summary>
    public ulong DecidedAt { get; set; }

    /// <summary>When the request reached the core (Stopwatch ticks), for the confirm-latency metric.</summary>
    public long ArrivedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>The caller's token (set by <see cref="SequencerCore.SubmitAsync"/>): the writer drops the request if it is cancelled before it takes it.</summary>
    public CancellationToken CancellationToken { get; set; }

    public Task<SequencingOutcome> Completion => _completion.Task;

    public void Complete(SequencingOutcome outcome) => _completion.TrySetResult(outcome);

    /// <summary>Ends the caller's wait with an <see cref="OperationCanceledException"/>: the transaction was not sequenced.</summary>
    public void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
