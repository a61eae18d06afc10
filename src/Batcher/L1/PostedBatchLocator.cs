using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Batcher.L1;

/// <summary>What <c>appendBatch</c> stored for one batch (docs/batch-format.md, "Transaction root").</summary>
public sealed record PostedBatchCommitment(ulong BatchIndex, byte[] TxRoot, ulong FirstSequence, ulong TxCount);

/// <summary>
/// Finds the posted batch that covers a sequence number, from the inbox's own storage at a chosen L1 block: a binary
/// search over <c>batchCommitments</c> (batches cover the sequences without gaps, in order), log2(batches) calls.
/// </summary>
public sealed class PostedBatchLocator(IWeb3 web3, string inbox)
{
    public PostedBatchLocator(string rpcUrl, string inbox)
        : this(new Web3(rpcUrl), inbox)
    {
    }

    /// <summary>The batch covering <paramref name="sequence"/> as the inbox holds it at <paramref name="atBlock"/>; null when none does yet.</summary>
    public async Task<PostedBatchCommitment?> FindAsync(ulong sequence, ulong atBlock, CancellationToken cancellationToken)
    {
        var block = new BlockParameter(atBlock);
        var count = await web3.Eth.GetContractQueryHandler<NextBatchIndexFunction>()
            .QueryAsync<ulong>(inbox, new NextBatchIndexFunction(), block).WaitAsync(cancellationToken).ConfigureAwait(false);
        ulong low = 0, high = count;
        PostedBatchCommitment? found = null;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var commitment = await ReadAsync(middle, block, cancellationToken).ConfigureAwait(false);
            if (commitment.FirstSequence <= sequence)
            {
                found = commitment;
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return found is not null && sequence < found.FirstSequence + found.TxCount ? found : null;
    }

    private async Task<PostedBatchCommitment> ReadAsync(ulong index, BlockParameter block, CancellationToken cancellationToken)
    {
        var stored = await web3.Eth.GetContractQueryHandler<BatchCommitmentsFunction>()
            .QueryDeserializingToObjectAsync<BatchCommitmentOutput>(new BatchCommitmentsFunction { BatchIndex = index }, inbox, block)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new PostedBatchCommitment(index, stored.TxRoot, stored.FirstSequence, stored.TxCount);
    }
}

[Function("batchCommitments", typeof(BatchCommitmentOutput))]
public sealed class BatchCommitmentsFunction : FunctionMessage
{
    [Parameter("uint64", "", 1)]
    public ulong BatchIndex { get; set; }
}

[FunctionOutput]
public sealed class BatchCommitmentOutput : IFunctionOutputDTO
{
    [Parameter("bytes32", "txRoot", 1)]
    public byte[] TxRoot { get; set; } = [];

    [Parameter("uint64", "firstSequence", 2)]
    public ulong FirstSequence { get; set; }

    [Parameter("uint64", "txCount", 3)]
    public ulong TxCount { get; set; }
}
