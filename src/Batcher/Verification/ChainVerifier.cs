using System.Globalization;
using System.Numerics;
using Batcher.Format;
using Batcher.L1;
using DaClient;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Primitives;
using Primitives.Chain;

namespace Batcher.Verification;

/// <summary>
/// Re-derives the chain from L1 and DA alone and holds soft confirmations against it
/// (docs/batch-format.md): reads every BatchAppended event, fetches each batch from DA or from
/// the posting transaction's calldata, checks its hash and header against the event, replays
/// the accumulator over its transactions, and checks that batches join up without gaps.
/// </summary>
public sealed class ChainVerifier(TextWriter output)
{
    private const ulong LogChunk = 5000;

    public async Task<VerificationReport> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        var report = new VerificationReport();
        var web3 = new Web3(request.L1RpcUrl);
        var events = await ReadEventsAsync(web3, request, cancellationToken).ConfigureAwait(false);
        var published = new List<PublishedTransaction>();
        var blocks = new List<BatchBlock>();
        var batches = new List<PublishedBatch>();
        var raws = new List<byte[]>();
        var forced = new ForcedEntryVerifier(web3, request, output);
        var accumulator = Accumulator.Genesis;
        ulong nextBlock = 1, nextSequence = 0, expectedIndex = 0;
        foreach (var appended in events)
        {
            var e = appended.Event;
            if (e.BatchIndex != expectedIndex)
            {
                report.Problems.Add($"batch index {e.BatchIndex} appended where index {expectedIndex} was expected (gap or duplicate in the inbox)");
                break;
            }

            expectedIndex++;
            var batch = await FetchAsync(web3, request.Da, appended, report, cancellationToken).ConfigureAwait(false);
            if (batch is null)
            {
                break;
            }

            var hash = Keccak.Hash(batch).ToArray();
            if (!hash.AsSpan().SequenceEqual(e.BatchHash))
            {
                report.Problems.Add($"batch {e.BatchIndex}: the data fetched for it hashes to {hash.ToHex(true)}, but L1 recorded batchHash {e.BatchHash.ToHex(true)} (tampered or wrong DA data)");
                break;
            }

            DecodedBatch decoded;
            try
            {
                decoded = BatchDecoder.Decode(batch);
            }
            catch (BatchFormatException ex)
            {
                report.Problems.Add($"batch {e.BatchIndex}: does not decode: {ex.Message}");
                break;
            }

            var header = decoded.Header;
            var before = report.Problems.Count;
            Expect(report, header.BatchIndex == e.BatchIndex, $"batch {e.BatchIndex}: header says batch index {header.BatchIndex}");
            Expect(report, header.FirstBlock == e.FirstBlock && header.LastBlock == e.LastBlock,
                $"batch {e.BatchIndex}: header covers blocks {header.FirstBlock}-{header.LastBlock}, L1 event says {e.FirstBlock}-{e.LastBlock}");
            Expect(report, header.FirstBlock == nextBlock, $"batch {e.BatchIndex}: starts at block {header.FirstBlock}, the previous batch ended before block {nextBlock}");
            Expect(report, header.FirstSequence == nextSequence, $"batch {e.BatchIndex}: starts at sequence {header.FirstSequence}, expected {nextSequence}");
            Expect(report, header.ParentAccumulator.Span.SequenceEqual(accumulator.Bytes),
                $"batch {e.BatchIndex}: parent accumulator {header.ParentAccumulator.ToArray().ToHex(true)} is not the previous batch's end accumulator {accumulator}");
            Expect(report, header.EndAccumulator.Span.SequenceEqual(e.Accumulator),
                $"batch {e.BatchIndex}: header end accumulator {header.EndAccumulator.ToArray().ToHex(true)} differs from the accumulator on L1 {e.Accumulator.ToHex(true)}");
            Expect(report, request.ChainId is null || header.ChainId == request.ChainId, $"batch {e.BatchIndex}: chain id {header.ChainId}, expected {request.ChainId}");
            if (report.Problems.Count > before)
            {
                break;
            }

            var transactions = 0;
            var leaves = new List<Hash32>();
            foreach (var block in decoded.Blocks)
            {
                for (var i = 0; i < block.Transactions.Count; i++)
                {
                    var txHash = Keccak.Hash(block.Transactions[i]);
                    raws.Add(block.Transactions[i].ToArray());
                    accumulator = Accumulator.Next(accumulator, txHash);
                    leaves.Add(TransactionTree.Leaf(nextSequence, txHash, accumulator));
                    published.Add(new PublishedTransaction(nextSequence++, txHash.ToString(), block.Number, (uint)i, block.Timestamp, accumulator.ToString(), e.BatchIndex));
                    transactions++;
                }

                blocks.Add(block);
            }

            if (!accumulator.Bytes.SequenceEqual(header.EndAccumulator.Span))
            {
                report.Problems.Add($"batch {e.BatchIndex}: replaying its {transactions} transactions gives accumulator {accumulator}, the header and L1 say {header.EndAccumulator.ToArray().ToHex(true)}");
                break;
            }

            if (CommitmentProblem(e, header.FirstSequence, leaves) is { } commitmentProblem)
            {
                report.Problems.Add(commitmentProblem);
                break;
            }

            var forcedBefore = report.Problems.Count;
            await forced.CheckAsync(e, (ulong)appended.Log.BlockNumber.Value, decoded.Forced, header.FirstSequence, nextSequence, published, raws, report, cancellationToken)
                .ConfigureAwait(false);
            if (report.Problems.Count > forcedBefore)
            {
                break;
            }

            batches.Add(new PublishedBatch(e.BatchIndex, header.FirstSequence, [.. leaves]));
            nextBlock = header.LastBlock + 1;
            report.Batches++;
            report.Blocks += decoded.Blocks.Count;
            report.Transactions += transactions;
            var where = DaCommitment.Parse(e.DaCommitment).Kind;
            await output.WriteLineAsync($"batch {e.BatchIndex}: blocks {header.FirstBlock}-{header.LastBlock}, {transactions} txs, from {where}: ok").ConfigureAwait(false);
        }

        if (request.Confirmations is not null)
        {
            foreach (var confirmation in request.Confirmations)
            {
                CheckConfirmation(request, confirmation, published, report);
            }
        }

        if (request.SequencerRpcUrl is not null)
        {
            await CheckAgainstSequencerAsync(request, published, blocks, report, cancellationToken).ConfigureAwait(false);
        }

        if (request.ProverKeyFile is not null)
        {
            await new BrokenPromiseProver(output).ProveAsync(request, published, batches, report, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync(
            $"{report.Batches} batches, {report.Blocks} blocks, {report.Transactions} transactions published; {report.ConfirmationsChecked} confirmations checked, {report.ConfirmationsPending} not yet published").ConfigureAwait(false);
        if (forced.Included + forced.Skipped > 0)
        {
            await output.WriteLineAsync($"forced entries: {forced.Included + forced.Skipped} consumed, {forced.Included} included, {forced.Skipped} skipped").ConfigureAwait(false);
        }

        if (report.ProofsSubmitted.Count > 0)
        {
            await output.WriteLineAsync($"{report.ProofsSubmitted.Count} proof submitted on L1").ConfigureAwait(false);
        }

        foreach (var problem in report.Problems)
        {
            await output.WriteLineAsync("MISMATCH: " + problem).ConfigureAwait(false);
        }

        await output.WriteLineAsync(report.Passed ? "verify: OK" : $"verify: FAILED ({report.Problems.Count} problems)").ConfigureAwait(false);
        return report;
    }

    /// <summary>What appendBatch committed for proofs (docs/batch-format.md, "Transaction root") against the batch's own transactions.</summary>
    private static string? CommitmentProblem(BatchAppendedEvent e, ulong firstSequence, List<Hash32> leaves)
    {
        if (e.FirstSequence != firstSequence || e.TxCount != (ulong)leaves.Count)
        {
            return $"batch {e.BatchIndex}: L1 recorded sequences {e.FirstSequence} (+{e.TxCount}), the batch holds {firstSequence} (+{leaves.Count})";
        }

        var root = TransactionTree.Root(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(leaves));
        return root.Bytes.SequenceEqual(e.TxRoot)
            ? null
            : $"batch {e.BatchIndex}: its transactions have Merkle root {root}, L1 recorded txRoot {e.TxRoot.ToHex(true)}";
    }

    private static async Task<List<EventLog<BatchAppendedEvent>>> ReadEventsAsync(Web3 web3, VerifyRequest request, CancellationToken cancellationToken)
    {
        var head = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value;
        var handler = web3.Eth.GetEvent<BatchAppendedEvent>(request.InboxAddress);
        var all = new List<EventLog<BatchAppendedEvent>>();
        for (var start = request.FromL1Block; start <= head; start += LogChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(head, start + LogChunk - 1);
            var filter = handler.CreateFilterInput(new BlockParameter(start), new BlockParameter(end));
            all.AddRange(await handler.GetAllChangesAsync(filter).ConfigureAwait(false));
        }

        return all;
    }

    private static async Task<byte[]?> FetchAsync(Web3 web3, MultiBackendDaReader da, EventLog<BatchAppendedEvent> appended, VerificationReport report, CancellationToken cancellationToken)
    {
        var e = appended.Event;
        DaCommitment commitment;
        try
        {
            commitment = DaCommitment.Parse(e.DaCommitment);
        }
        catch (DaCommitmentFormatException ex)
        {
            report.Problems.Add($"batch {e.BatchIndex}: DA commitment on L1 is malformed: {ex.Message}");
            return null;
        }

        if (commitment.Kind == DaCommitmentKind.L1Calldata)
        {
            var tx = await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(appended.Log.TransactionHash).ConfigureAwait(false);
            var input = tx.Input.HexToByteArray();
            var prefix = InboxContract.CalldataPrefixLength + (e.DaCommitment.Length + 31) / 32 * 32;
            if (input.Length <= prefix)
            {
                report.Problems.Add($"batch {e.BatchIndex}: commitment says calldata, but transaction {appended.Log.TransactionHash} carries no batch after its arguments");
                return null;
            }

            try
            {
                return MultiBackendDaReader.CheckCalldata(commitment, input[prefix..]).ToArray();
            }
            catch (DaException ex)
            {
                report.Problems.Add($"batch {e.BatchIndex}: calldata batch in {appended.Log.TransactionHash}: {ex.Message}");
                return null;
            }
        }

        try
        {
            return (await da.GetAsync(commitment, cancellationToken).ConfigureAwait(false)).ToArray();
        }
        catch (DaException ex)
        {
            report.Problems.Add($"batch {e.BatchIndex}: DA could not return the batch for commitment {commitment}: {ex.Message}");
            return null;
        }
    }

    private static void CheckConfirmation(VerifyRequest request, SoftConfirmation confirmation, List<PublishedTransaction> published, VerificationReport report)
    {
        if (request.SequencerAddress is not null)
        {
            if (confirmation.Signature is null)
            {
                report.Problems.Add($"confirmation of sequence {confirmation.Sequence} ({confirmation.TxHash}) has no signature");
                return;
            }

            var signer = ConfirmationSignature.RecoverSigner(confirmation, request.ChainId ?? 0);
            if (!signer.Equals(request.SequencerAddress, StringComparison.OrdinalIgnoreCase))
            {
                report.Problems.Add($"confirmation of sequence {confirmation.Sequence} ({confirmation.TxHash}) is signed by {signer}, not by the sequencer {request.SequencerAddress}");
                return;
            }
        }

        if (confirmation.Sequence >= (ulong)published.Count)
        {
            report.ConfirmationsPending++;
            return;
        }

        report.ConfirmationsChecked++;
        var tx = published[(int)confirmation.Sequence];
        var differences = new List<string>();
        if (!tx.TxHash.Equals(confirmation.TxHash, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"txHash {confirmation.TxHash} but the chain has {tx.TxHash}");
        }

        if (tx.BlockNumber != confirmation.BlockNumber || tx.Index != confirmation.Index)
        {
            differences.Add($"block {confirmation.BlockNumber} index {confirmation.Index} but the chain has block {tx.BlockNumber} index {tx.Index}");
        }

        if (tx.Timestamp != confirmation.Timestamp)
        {
            differences.Add($"timestamp {confirmation.Timestamp} but block {tx.BlockNumber} has {tx.Timestamp}");
        }

        if (!tx.Accumulator.Equals(confirmation.Accumulator, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"accumulator {confirmation.Accumulator} but the chain has {tx.Accumulator}");
        }

        if (differences.Count > 0)
        {
            report.Problems.Add($"confirmation of sequence {confirmation.Sequence} contradicts batch {tx.BatchIndex}: " + string.Join("; ", differences));
        }
    }

    private static async Task CheckAgainstSequencerAsync(
        VerifyRequest request, List<PublishedTransaction> published, List<BatchBlock> blocks, VerificationReport report, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var rpc = new SequencerRpcClient(http, request.SequencerRpcUrl!);
        foreach (var tx in published)
        {
            var result = await rpc.CallAsync("sequencer_getSoftConfirmation", [tx.TxHash], cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                report.Problems.Add($"the sequencer has no confirmation for published transaction {tx.TxHash} (sequence {tx.Sequence})");
                continue;
            }

            CheckConfirmation(request, SoftConfirmation.Parse(result.Value), published, report);
        }

        foreach (var block in blocks)
        {
            // The sequencer's own block: with an execution node, eth_getBlockByNumber serves the node's (its numbers and timestamps).
            var result = await rpc.CallAsync("sequencer_getBlockByNumber", ["0x" + block.Number.ToString("x", CultureInfo.InvariantCulture), false], cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                report.Problems.Add($"the sequencer does not know published block {block.Number}");
                continue;
            }

            var timestamp = (ulong)BigInteger.Parse("0" + result.Value.GetProperty("timestamp").GetString()![2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var hashes = result.Value.GetProperty("transactions").EnumerateArray().Select(h => h.GetString()!.ToLowerInvariant()).ToList();
            var expected = block.Transactions.Select(t => Keccak.Hash(t).ToString()).ToList();
            if (timestamp != block.Timestamp || !hashes.SequenceEqual(expected))
            {
                report.Problems.Add($"the sequencer's block {block.Number} (timestamp {timestamp}, {hashes.Count} txs) differs from the published one (timestamp {block.Timestamp}, {expected.Count} txs)");
            }
        }
    }

    private static void Expect(VerificationReport report, bool condition, string problem)
    {
        if (!condition)
        {
            report.Problems.Add(problem);
        }
    }
}
