using Batcher.L1;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Primitives.Chain;
using Primitives.Secrets;

namespace Batcher.Verification;

/// <summary>
/// <c>verify --prove KEYFILE</c>: for every signed confirmation the re-derived chain breaks, submits
/// the proof to BatchInbox (docs/l1.md, "Proofs") and says what it submitted. A confirmation whose
/// (txHash, accumulator) differs from the posted leaf gets <c>proveEquivocation</c>; one whose
/// sequence no batch covers gets <c>proveNotPublished</c> (the contract decides whether
/// <c>maxPublishDelay</c> has passed). Each proof is simulated first; one the contract would refuse
/// is reported with the contract's reason and not sent. The first slash ends the run: the sequencer
/// is faulted and every further proof would revert.
/// </summary>
public sealed class BrokenPromiseProver(TextWriter output)
{
    public async Task ProveAsync(
        VerifyRequest request, IReadOnlyList<PublishedTransaction> published, IReadOnlyList<PublishedBatch> batches, VerificationReport report, CancellationToken cancellationToken)
    {
        var secret = SecretSource.ReadFile(request.ProverKeyFile!, "--prove", SecretShape.PrivateKey);
        var key = new EthECKey(secret, isPrivate: true);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        var l1ChainId = await new Web3(request.L1RpcUrl).Eth.ChainId.SendRequestAsync().ConfigureAwait(false);
        var web3 = new Web3(new Account(key, l1ChainId), request.L1RpcUrl);
        foreach (var confirmation in request.Confirmations ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (confirmation.Signature is null || Proof(confirmation, published, batches) is not { } proof)
            {
                continue;
            }

            var (what, slashed) = proof is ProveEquivocationFunction equivocation
                ? await SubmitAsync(web3, request.InboxAddress, equivocation, cancellationToken).ConfigureAwait(false)
                : await SubmitAsync(web3, request.InboxAddress, (ProveNotPublishedFunction)proof, cancellationToken).ConfigureAwait(false);
            var kind = proof is ProveEquivocationFunction ? "proveEquivocation" : "proveNotPublished";
            var line = $"{kind} for sequence {confirmation.Sequence}: {what}";
            await output.WriteLineAsync((slashed ? "PROVED: " : "PROOF NOT SUBMITTED: ") + line).ConfigureAwait(false);
            if (slashed)
            {
                report.ProofsSubmitted.Add(line);
                if (proof is ProveNotPublishedFunction)
                {
                    report.Problems.Add($"confirmation of sequence {confirmation.Sequence} is not covered by any batch past the inbox's publish delay (proved on L1)");
                }

                return;
            }
        }
    }

    /// <summary>The proof a broken confirmation calls for; null when the chain keeps the promise (or breaks it in a way L1 does not commit to).</summary>
    private static FunctionMessage? Proof(SoftConfirmation confirmation, IReadOnlyList<PublishedTransaction> published, IReadOnlyList<PublishedBatch> batches)
    {
        var signed = new SoftConfirmationStruct
        {
            TxHash = confirmation.TxHash.HexToByteArray(),
            Sequence = confirmation.Sequence,
            BlockNumber = confirmation.BlockNumber,
            Index = confirmation.Index,
            Timestamp = confirmation.Timestamp,
            Accumulator = confirmation.Accumulator.HexToByteArray(),
        };
        var signature = confirmation.Signature!.HexToByteArray();
        if (confirmation.Sequence >= (ulong)published.Count)
        {
            return new ProveNotPublishedFunction { Confirmation = signed, Signature = signature };
        }

        var tx = published[(int)confirmation.Sequence];
        if (tx.TxHash.Equals(confirmation.TxHash, StringComparison.OrdinalIgnoreCase) && tx.Accumulator.Equals(confirmation.Accumulator, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var batch = batches[(int)tx.BatchIndex];
        var position = (int)(confirmation.Sequence - batch.FirstSequence);
        return new ProveEquivocationFunction
        {
            Confirmation = signed,
            Signature = signature,
            Proof = new InclusionProofStruct
            {
                BatchIndex = tx.BatchIndex,
                PostedTxHash = tx.TxHash.HexToByteArray(),
                PostedAccumulator = tx.Accumulator.HexToByteArray(),
                Siblings = TransactionTree.Path(batch.Leaves, position).Select(h => h.ToArray()).ToList(),
            },
        };
    }

    private static async Task<(string What, bool Slashed)> SubmitAsync<TFunction>(Web3 web3, string inbox, TFunction proof, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        proof.FromAddress = web3.TransactionManager.Account.Address;
        try
        {
            await web3.Eth.GetContractQueryHandler<TFunction>().QueryRawAsync(inbox, proof).ConfigureAwait(false);
        }
        catch (SmartContractCustomErrorRevertException revert)
        {
            return ($"the contract refuses it ({InboxErrors.Name(revert.ExceptionEncodedData)})", false);
        }

        TransactionReceipt receipt = await web3.Eth.GetContractTransactionHandler<TFunction>()
            .SendRequestAndWaitForReceiptAsync(inbox, proof, cancellationToken).ConfigureAwait(false);
        if (receipt.Status.Value != 1)
        {
            return ($"transaction {receipt.TransactionHash} reverted", false);
        }

        var slashed = receipt.DecodeAllEvents<SequencerSlashedEvent>().Single().Event;
        return ($"transaction {receipt.TransactionHash}, {receipt.GasUsed.Value} gas: sequencer {slashed.Sequencer} slashed, {slashed.Reward} wei to the prover, {slashed.BurnedAmount} wei burned", true);
    }
}
