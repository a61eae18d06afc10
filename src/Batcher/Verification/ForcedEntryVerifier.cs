using System.Numerics;
using Batcher.Format;
using Batcher.L1;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Batcher.Verification;

/// <summary>
/// Holds each batch's forced-entry section (docs/batch-format.md, "Forced entries") against the inbox's queue: the
/// entries consumed are the event's <c>[forcedFrom, forcedThrough)</c>, each judged within the batch; an included one
/// is the queued transaction at its sequence; a skipped one is judged again from the published chain below its
/// position (wrong chain, nonce too low or too high) and must get the same reason; and the batch consuming an entry
/// was appended within the window after it was queued.
/// </summary>
internal sealed class ForcedEntryVerifier(Web3 web3, VerifyRequest request, TextWriter output)
{
    private readonly ForcedQueueReader _queue = new(web3, request.InboxAddress);
    private readonly Dictionary<string, ulong> _nextNonce = new(StringComparer.OrdinalIgnoreCase);
    private ulong _noncesCounted;
    private ulong? _window;
    private ulong _head;

    public int Included { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>Checks one batch; <paramref name="published"/> holds every transaction up to the batch's end.</summary>
    public async Task CheckAsync(
        BatchAppendedEvent e, ulong appendedAtBlock, ForcedSection section, ulong firstSequence, ulong endSequence,
        IReadOnlyList<PublishedTransaction> published, IReadOnlyList<byte[]> raws, VerificationReport report, CancellationToken cancellationToken)
    {
        if (e.ForcedThrough == e.ForcedFrom && section.Entries.Count == 0)
        {
            return;
        }

        if (section.From != e.ForcedFrom || section.Through != e.ForcedThrough)
        {
            report.Problems.Add($"batch {e.BatchIndex}: consumes forced entries {e.ForcedFrom}-{e.ForcedThrough} on L1, its bytes state {section.From}-{section.Through}");
            return;
        }

        _window ??= await _queue.ReadWindowAsync(cancellationToken).ConfigureAwait(false);
        if (_head == 0)
        {
            _head = await _queue.ReadConfirmedBlockAsync(1, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < section.Entries.Count; i++)
        {
            var index = section.From + (ulong)i;
            var judged = section.Entries[i];
            var entry = await _queue.ReadEntryAsync(index, _head, cancellationToken).ConfigureAwait(false);
            var hash = entry.TxHash.ToHex(true);
            if (appendedAtBlock > entry.L1Block + _window.Value)
            {
                report.Problems.Add($"forced entry {index}: queued at L1 block {entry.L1Block}, consumed by batch {e.BatchIndex} at block {appendedAtBlock}, past the {_window} block window");
            }

            if (judged.Position < firstSequence || judged.Position > endSequence)
            {
                report.Problems.Add($"forced entry {index}: judged at position {judged.Position}, outside batch {e.BatchIndex} (sequences {firstSequence}-{endSequence})");
                continue;
            }

            if (judged.Outcome == 0)
            {
                if (judged.Sequence >= endSequence || !string.Equals(published[(int)judged.Sequence].TxHash, hash, StringComparison.OrdinalIgnoreCase))
                {
                    report.Problems.Add($"forced entry {index}: said included at sequence {judged.Sequence}, but the published transaction there is not {hash}");
                    continue;
                }

                Included++;
                continue;
            }

            Skipped++;
            if (judged.Sequence != judged.Position)
            {
                report.Problems.Add($"forced entry {index}: skipped, but its sequence {judged.Sequence} is not its position {judged.Position}");
                continue;
            }

            var (tag, agrees) = Rejudge(entry.RawTx, judged.Outcome, judged.Position, raws);
            if (!agrees)
            {
                report.Problems.Add($"forced entry {index}: the batch says skipped ({tag}), but judged again at position {judged.Position} it is not");
                continue;
            }

            await output.WriteLineAsync($"skipped entry {index}: {tag}: confirmed").ConfigureAwait(false);
        }
    }

    /// <summary>The reason's name and whether the published chain bears it out (reasons verify cannot re-check count as agreeing).</summary>
    private (string Tag, bool Agrees) Rejudge(byte[] raw, byte outcome, ulong position, IReadOnlyList<byte[]> raws)
    {
        ISignedTransaction tx;
        try
        {
            tx = TransactionFactory.CreateTransaction(raw.ToHex(true));
        }
#pragma warning disable CA1031 // Any decoding failure means the bytes are no transaction.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ("malformed_encoding", outcome is 1 or 2);
        }

        (BigInteger ChainId, BigInteger Nonce) fields = tx switch
        {
            Transaction1559 t => (t.ChainId, t.Nonce ?? BigInteger.Zero),
            LegacyTransactionChainId t => (t.GetChainIdAsBigInteger(), new BigInteger(t.Nonce, isUnsigned: true, isBigEndian: true)),
            _ => (BigInteger.MinusOne, BigInteger.Zero),
        };
        var (chainId, nonce) = fields;
        switch (outcome)
        {
            case 5:
                return ("wrong_chain_id", request.ChainId is null || chainId != request.ChainId.Value);
            case 0x40 or 0x41:
                var sender = TransactionVerificationAndRecovery.GetSenderAddress(raw.ToHex(true));
                var next = NextNonce(sender, position, raws);
                return outcome == 0x40 ? ("nonce_too_low", nonce < next) : ("nonce_too_high", nonce > next);
            default:
                return ($"reason {outcome} (not re-checked by verify)", true);
        }
    }

    /// <summary>The sender's next nonce after the published sequences below <paramref name="position"/> (every account starts at 0).</summary>
    private ulong NextNonce(string sender, ulong position, IReadOnlyList<byte[]> raws)
    {
        // Positions never decrease in queue order, so senders are counted once, forward.
        for (; _noncesCounted < position && _noncesCounted < (ulong)raws.Count; _noncesCounted++)
        {
            var from = TransactionVerificationAndRecovery.GetSenderAddress(raws[(int)_noncesCounted].ToHex(true));
            _nextNonce[from] = _nextNonce.GetValueOrDefault(from) + 1;
        }

        return _nextNonce.GetValueOrDefault(sender);
    }
}
