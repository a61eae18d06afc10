using Batcher.L1;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Batcher.Pipeline;

/// <summary>
/// Holds the batcher's records (checkpoint and journal) against L1 and, where they disagree, works out how to
/// agree again: L1 is the truth about what is posted, the records are the truth about what was made. Batches
/// the inbox lost (an L1 reset, a reorg deeper than the confirmation depth) are posted again, the same batches
/// under the same indices, in order, from the poster's nonce on L1; posts that can never be mined are given up.
/// Nothing the inbox holds is posted twice: it only ever takes the next index, and the plan starts there.
/// </summary>
/// <param name="poster">Reads L1 and posts with the batcher key.</param>
/// <param name="journal">The batches this batcher made, by index.</param>
/// <param name="replicaSet">
/// This batcher is one replica's of a set (docs/replication.md, "Batcher on the leader only"): other replicas post with the
/// same key while it does not lead, so at its start an inbox ahead of its checkpoint is expected, posts in flight or not.
/// </param>
public sealed class InboxReconciler(L1Poster poster, BatchJournal journal, bool replicaSet = false)
{
    /// <summary>Reads L1 and says whether it disagrees with <paramref name="checkpoint"/> (null: it agrees).</summary>
    public async Task<(L1View View, L1Disagreement? Disagreement)> CheckAsync(BatcherCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var view = await poster.ReadViewAsync(cancellationToken).ConfigureAwait(false);
        var found = Disagreement(checkpoint, view, poster.Address, poster.Inbox);
        if (found is null && checkpoint.ConfirmedPost is { } confirmed && !await poster.IsMinedAsync(confirmed.TxHash, cancellationToken).ConfigureAwait(false))
        {
            found = new L1Disagreement("receipt_gone", ConfirmedPostGone(confirmed));
        }

        return (view, found);
    }

    /// <summary>The disagreements a view of L1 shows by itself (the newest confirmed post's receipt needs a lookup of its own).</summary>
    public static L1Disagreement? Disagreement(BatcherCheckpoint checkpoint, L1View view, string address, string inbox)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(view);
        if (!view.InboxDeployed)
        {
            return new L1Disagreement("inbox_missing", NoInbox(inbox));
        }

        if (checkpoint.ConfirmedPost is { } confirmed && view.Nonce <= confirmed.Nonce)
        {
            return new L1Disagreement("nonce_behind",
                $"the L1 nonce of {address} is {view.Nonce}, but its post of batch {confirmed.BatchIndex} under nonce {confirmed.Nonce} was confirmed: {Lost}");
        }

        var confirmedUpTo = checkpoint.LastConfirmedBatch ?? -1;
        if ((long)view.NextBatchIndex <= confirmedUpTo)
        {
            return new L1Disagreement("inbox_behind",
                $"the inbox {inbox} expects batch {view.NextBatchIndex} next, but batches up to {confirmedUpTo} were confirmed there: {Lost}");
        }

        if (view.NextBatchIndex > checkpoint.NextBatchIndex)
        {
            return new L1Disagreement("inbox_ahead",
                $"the inbox {inbox} expects batch {view.NextBatchIndex} next, but this batcher has made batches only up to {(long)checkpoint.NextBatchIndex - 1}");
        }

        // Posts the inbox holds are mined; the first one it does not hold must be next in line.
        var waiting = checkpoint.InFlight.Find(p => p.BatchIndex >= view.NextBatchIndex);
        if (waiting is not null && waiting.Nonce > view.Nonce)
        {
            return new L1Disagreement("nonce_gap",
                $"the post of batch {waiting.BatchIndex} under nonce {waiting.Nonce} can never be mined: the L1 nonce of {address} is {view.Nonce} and the inbox expects batch {view.NextBatchIndex}");
        }

        return null;
    }

    /// <summary>
    /// Reads what the plan needs from L1 and the journal and plans the reconciliation. Throws
    /// <see cref="InboxNotDeployedException"/> while there is no inbox to reconcile with (wait and try again),
    /// <see cref="L1PostingException"/> when L1 holds what no re-post can fix.
    /// </summary>
    public async Task<ReconcilePlan> PlanAsync(BatcherCheckpoint checkpoint, bool atStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var view = await poster.ReadViewAsync(cancellationToken).ConfigureAwait(false);
        if (!view.InboxDeployed)
        {
            throw new InboxNotDeployedException(NoInbox(poster.Inbox));
        }

        var batcher = await poster.ReadInboxBatcherAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(batcher, poster.Address, StringComparison.OrdinalIgnoreCase))
        {
            throw new L1PostingException($"the inbox {poster.Inbox} takes batches only from {batcher}, not from this batcher's address {poster.Address}: wrong inbox or wrong key");
        }

        var confirmedPostGone = checkpoint.ConfirmedPost is { } confirmed && !await poster.IsMinedAsync(confirmed.TxHash, cancellationToken).ConfigureAwait(false);
        var next = view.NextBatchIndex;
        byte[]? inboxLastHash = null;
        if (next > 0 && next <= checkpoint.NextBatchIndex)
        {
            inboxLastHash = await poster.ReadBatchHashAsync(next - 1, cancellationToken).ConfigureAwait(false);
        }

        var records = next < checkpoint.NextBatchIndex || inboxLastHash is not null
            ? journal.ReadLatest(next == 0 ? 0 : next - 1, checkpoint.NextBatchIndex)
            : [];
        return Plan(checkpoint, view, inboxLastHash, records, confirmedPostGone, atStart, poster.Inbox, replicaSet);
    }

    /// <summary>The reconciliation itself, from what was read (pure, so every case can be tested without a chain).</summary>
    public static ReconcilePlan Plan(
        BatcherCheckpoint checkpoint, L1View view, byte[]? inboxLastHash, IReadOnlyDictionary<ulong, BatchRecord> records,
        bool confirmedPostGone, bool atStart, string inbox, bool replicaSet = false)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(records);
        var plan = new ReconcilePlan { View = view, LastConfirmedBatch = checkpoint.LastConfirmedBatch, ConfirmedPost = checkpoint.ConfirmedPost };
        var next = view.NextBatchIndex;
        var made = checkpoint.NextBatchIndex;
        var inFlight = checkpoint.InFlight;
        if (next > made)
        {
            // A single batcher with posts in flight that finds the inbox past everything it made shares its key with another
            // batcher. A replica that leads again finds exactly that: the set's other leaders posted meanwhile. Its posts in
            // flight are below the inbox's next index (each was mined, or its index was taken by another replica's post and
            // the inbox refuses it), so it drops them and posts from the poster's nonce on L1.
            if (!atStart || (inFlight.Count > 0 && !replicaSet))
            {
                throw new L1PostingException(
                    $"the inbox {inbox} expects batch {next} next, but this batcher has made batches only up to {(long)made - 1}: another batcher posts with this key, or the checkpoint belongs to another chain");
            }

            plan.AdoptInbox = true;
            if (inFlight.Count > 0)
            {
                plan.NextNonce = view.Nonce;
            }

            plan.Findings.Add($"the inbox expects batch {next} next, ahead of this batcher's checkpoint ({made}, {inFlight.Count} posts in flight): continuing where the inbox stands");
            return plan;
        }

        if (inboxLastHash is not null)
        {
            var ours = inFlight.Find(p => p.BatchIndex == next - 1)?.BatchHash ?? (records.TryGetValue(next - 1, out var line) ? line.BatchHash : null);
            if (ours is not null && !ours.Equals(inboxLastHash.ToHex(true), StringComparison.OrdinalIgnoreCase))
            {
                throw new L1PostingException(
                    $"the inbox {inbox} holds batch {next - 1} with hash {inboxLastHash.ToHex(true)}, but this batcher made it with hash {ours}: the inbox holds another chain's batches");
            }
        }

        if ((long)next <= (checkpoint.LastConfirmedBatch ?? -1))
        {
            plan.Findings.Add($"the inbox expects batch {next} next, but batches up to {checkpoint.LastConfirmedBatch} were confirmed there ({Lost})");
            plan.LastConfirmedBatch = next == 0 ? null : (long)next - 1;
        }

        if (checkpoint.ConfirmedPost is { } confirmed && (confirmedPostGone || view.Nonce <= confirmed.Nonce || confirmed.BatchIndex >= next))
        {
            if (confirmedPostGone)
            {
                plan.Findings.Add(ConfirmedPostGone(confirmed));
            }

            plan.ConfirmedPost = null;
        }

        // Posts the inbox holds stay: the tracker still counts their confirmations. Then those that will be mined
        // in order as they are: the next index under the poster's next nonce, and so on.
        var kept = 0;
        var nextBlock = view.NextBlock;
        var index = 0;
        for (; index < inFlight.Count && inFlight[index].BatchIndex < next; index++)
        {
            plan.InFlight.Add(inFlight[index]);
        }

        for (; index < inFlight.Count && inFlight[index].BatchIndex == next + (ulong)kept && inFlight[index].Nonce == view.Nonce + (ulong)kept; index++, kept++)
        {
            plan.InFlight.Add(inFlight[index]);
            nextBlock = inFlight[index].LastBlock + 1;
        }

        var givenUp = new Dictionary<ulong, PostRecord>();
        for (; index < inFlight.Count; index++)
        {
            var post = inFlight[index];
            givenUp[post.BatchIndex] = post;
            plan.Replacing[post.Nonce] = post.Signed[^1];
        }

        if (givenUp.Count > 0)
        {
            plan.Findings.Add($"posts in flight for batches {string.Join(", ", givenUp.Keys)} can never be mined as they are (L1 nonce {view.Nonce}, the inbox expects batch {next + (ulong)kept}): given up");
        }

        var first = next + (ulong)kept;
        for (var lost = first; lost < made; lost++)
        {
            if (givenUp.TryGetValue(lost, out var post))
            {
                plan.Reposts.Add(new LostBatch(lost, records.GetValueOrDefault(lost), post));
                nextBlock = post.LastBlock + 1;
            }
            else if (records.TryGetValue(lost, out var record))
            {
                plan.Reposts.Add(new LostBatch(lost, record, null));
                nextBlock = record.LastBlock + 1;
            }
            else
            {
                plan.RewindIndex = lost;
                plan.RewindBlock = nextBlock;
                plan.Findings.Add($"the batch journal has no record of batch {lost}: batches from {lost} on are built again from block {nextBlock}");
                break;
            }
        }

        if (plan.Reposts.Count > 0)
        {
            plan.Findings.Add($"posting batches {first}-{first + (ulong)plan.Reposts.Count - 1} again from nonce {view.Nonce + (ulong)kept}");
        }

        if (plan.Changed)
        {
            // Posts go on from the poster's nonce on L1: one above it would wait forever behind the gap.
            plan.NextNonce = view.Nonce + (ulong)kept;
        }

        return plan;
    }

    private const string Lost = "L1 lost posts it had confirmed (an L1 reset, or a reorg deeper than the confirmation depth)";

    private static string NoInbox(string inbox) =>
        $"there is no contract at the inbox address {inbox} (an L1 reset, and the inbox not deployed again yet?)";

    private static string ConfirmedPostGone(ConfirmedPost post) =>
        $"the post of batch {post.BatchIndex} confirmed in L1 block {post.Block} ({post.TxHash}) is no longer on L1 ({Lost})";
}
