using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Util;

namespace Batcher.L1;

/// <summary>
/// Reads the inbox's forced-inclusion queue (docs/l1.md, "Forced inclusion") at a chosen L1 block: its length, and
/// each entry with the raw transaction from its <c>ForcedTransactionQueued</c> event (found by its indexed queue
/// index in the entry's own block, so no log scan from genesis).
/// </summary>
public sealed class ForcedQueueReader(IWeb3 web3, string inbox)
{
    public ForcedQueueReader(string rpcUrl, string inbox)
        : this(new Web3(rpcUrl), inbox)
    {
    }

    /// <summary>
    /// The newest block with at least <paramref name="confirmations"/> confirmations (1 = the head), the block the
    /// follower reads at so that a reorg shallower than that never shows it an entry.
    /// </summary>
    public async Task<ulong> ReadConfirmedBlockAsync(int confirmations, CancellationToken cancellationToken)
    {
        var head = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        var depth = (ulong)Math.Max(0, confirmations - 1);
        return head > depth ? head - depth : 0;
    }

    public async Task<ulong> ReadLengthAsync(ulong atBlock, CancellationToken cancellationToken)
    {
        var length = await web3.Eth.GetContractQueryHandler<ForcedQueueLengthFunction>()
            .QueryAsync<BigInteger>(inbox, new ForcedQueueLengthFunction(), new BlockParameter(atBlock)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (ulong)length;
    }

    public Task<ulong> ReadWindowAsync(CancellationToken cancellationToken) =>
        web3.Eth.GetContractQueryHandler<ForcedInclusionWindowFunction>()
            .QueryAsync<ulong>(inbox, new ForcedInclusionWindowFunction()).WaitAsync(cancellationToken);

    /// <summary>Entry <paramref name="index"/> as the inbox holds it at <paramref name="atBlock"/>, with its bytes.</summary>
    /// <exception cref="InvalidDataException">The event is missing or its bytes do not hash to the stored hash.</exception>
    public async Task<ForcedQueueEntry> ReadEntryAsync(ulong index, ulong atBlock, CancellationToken cancellationToken)
    {
        var stored = await web3.Eth.GetContractQueryHandler<ForcedQueueFunction>()
            .QueryDeserializingToObjectAsync<ForcedQueueEntryOutput>(new ForcedQueueFunction { Index = index }, inbox, new BlockParameter(atBlock))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var handler = web3.Eth.GetEvent<ForcedTransactionQueuedEvent>(inbox);
        var filter = handler.CreateFilterInput<ulong>(index, new BlockParameter(stored.L1Block), new BlockParameter(stored.L1Block));
        var logs = await handler.GetAllChangesAsync(filter).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var log in logs)
        {
            if (log.Event.QueueIndex == index && Sha3Keccack.Current.CalculateHash(log.Event.RawTx).AsSpan().SequenceEqual(stored.TxHash))
            {
                return new ForcedQueueEntry(index, stored.L1Block, stored.TxHash, log.Event.RawTx);
            }
        }

        throw new InvalidDataException(
            $"forced entry {index} (hash {stored.TxHash.ToHex(true)}, L1 block {stored.L1Block}): no ForcedTransactionQueued event with its bytes in that block");
    }
}
