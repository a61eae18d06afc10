using Batcher.Options;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Model;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Batcher.L1;

/// <summary>
/// Sends batch commitments to the BatchInbox with the batcher's own key: it signs EIP-1559
/// transactions itself (fees from the latest base fee and the node's tip suggestion), so
/// that a post's exact bytes can be checkpointed and re-sent unchanged after a restart or
/// a reorg; bumps the fees of posts that stay unmined (same nonce, replacing the old one);
/// and reports a post as confirmed only when its block is deep enough and still canonical.
/// </summary>
public sealed partial class L1Poster
{
    private readonly IWeb3 _web3;
    private readonly EthECKey _key;
    private readonly L1PostingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BigInteger _chainId;

    private L1Poster(IWeb3 web3, EthECKey key, string inbox, BigInteger chainId, L1PostingOptions options, TimeProvider time, ILogger logger)
    {
        _web3 = web3;
        _key = key;
        Inbox = inbox;
        _chainId = chainId;
        _options = options;
        _time = time;
        _logger = logger;
        Address = key.GetPublicAddress();
    }

    public string Address { get; }

    public string Inbox { get; }

    public static async Task<L1Poster> ConnectAsync(string rpcUrl, EthECKey key, string inbox, L1PostingOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var web3 = new Web3(rpcUrl);
        var chainId = await web3.Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new L1Poster(web3, key, inbox, chainId.Value, options, time, logger);
    }

    /// <summary>The next nonce the node would accept from the batcher, counting its pending transactions.</summary>
    public async Task<ulong> GetPendingNonceAsync(CancellationToken cancellationToken)
    {
        var count = await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Address, BlockParameter.CreatePending()).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (ulong)count.Value;
    }

    /// <summary>The poster's nonce and the inbox's position, read at the latest block (all at that one block).</summary>
    public async Task<L1View> ReadViewAsync(CancellationToken cancellationToken)
    {
        var head = await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var at = new BlockParameter(head);
        var nonce = await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Address, at).WaitAsync(cancellationToken).ConfigureAwait(false);
        var code = await _web3.Eth.GetCode.SendRequestAsync(Inbox, at).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(code) || code == "0x")
        {
            return new L1View((ulong)head.Value, (ulong)nonce.Value, false, 0, 1);
        }

        var index = await _web3.Eth.GetContractQueryHandler<NextBatchIndexFunction>().QueryAsync<ulong>(Inbox, new NextBatchIndexFunction(), at).WaitAsync(cancellationToken).ConfigureAwait(false);
        var block = await _web3.Eth.GetContractQueryHandler<NextBlockFunction>().QueryAsync<ulong>(Inbox, new NextBlockFunction(), at).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new L1View((ulong)head.Value, (ulong)nonce.Value, true, index, block);
    }

    public Task<byte[]> ReadBatchHashAsync(ulong batchIndex, CancellationToken cancellationToken) =>
        _web3.Eth.GetContractQueryHandler<BatchHashesFunction>().QueryAsync<byte[]>(Inbox, new BatchHashesFunction { BatchIndex = batchIndex }).WaitAsync(cancellationToken);

    /// <summary>The only address the inbox accepts batches from.</summary>
    public Task<string> ReadInboxBatcherAsync(CancellationToken cancellationToken) =>
        _web3.Eth.GetContractQueryHandler<BatcherFunction>().QueryAsync<string>(Inbox, new BatcherFunction()).WaitAsync(cancellationToken);

    /// <summary>True while the transaction has a receipt in a canonical block.</summary>
    public async Task<bool> IsMinedAsync(string txHash, CancellationToken cancellationToken)
    {
        var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(txHash).WaitAsync(cancellationToken).ConfigureAwait(false);
        return receipt?.BlockNumber is not null && await IsCanonicalAsync(receipt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The transaction input: appendBatch's ABI encoding, followed in calldata mode by the batch itself
    /// (docs/batch-format.md, "Where a batch lives").
    /// </summary>
    public static byte[] BuildInput(AppendBatchFunction call, ReadOnlySpan<byte> calldataBatch)
    {
        var encoded = call.GetCallData();
        if (calldataBatch.IsEmpty)
        {
            return encoded;
        }

        var input = new byte[encoded.Length + calldataBatch.Length];
        encoded.CopyTo(input, 0);
        calldataBatch.CopyTo(input.AsSpan(encoded.Length));
        return input;
    }

    /// <summary>
    /// Signs the first version of a post (nonce given by the caller, who owns nonce order). <paramref name="replacing"/>
    /// is a transaction of the batcher's that may still wait in a node's pool under the same nonce (a post given up
    /// by a reconciliation): the new one pays enough more to replace it.
    /// </summary>
    public async Task SignAsync(PostRecord record, byte[] input, SignedPost? replacing, CancellationToken cancellationToken)
    {
        // Intrinsic cost with the calldata floor price of EIP-7623 (40 gas per non-zero byte, 10 per zero),
        // plus the inbox's own work (three storage writes and the event). No eth_estimateGas: a post
        // queued behind unmined ones would revert in estimation.
        var zeros = input.AsSpan().Count((byte)0);
        record.GasLimit = 21_000 + (ulong)(40 * (input.Length - zeros) + 10 * zeros) + 120_000 + (ulong)input.Length * 8;
        var (maxFee, tip) = await SuggestFeesAsync(cancellationToken).ConfigureAwait(false);
        if (replacing is not null)
        {
            (maxFee, tip) = Raise(replacing, maxFee, tip);
        }

        record.Signed.Add(Sign(record, input, maxFee, tip));
    }

    /// <summary>The transaction input of a signed post (appendBatch's arguments, and the batch itself in calldata mode).</summary>
    public static byte[] InputOf(SignedPost post) => DecodeInput(post.RawTransaction);

    /// <summary>Sends a signed post; a node that already has it, or already mined it, is not an error.</summary>
    public async Task BroadcastAsync(SignedPost post, CancellationToken cancellationToken)
    {
        try
        {
            await _web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(post.RawTransaction).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcResponseException e) when (IsHarmlessResend(e.RpcError?.Message ?? e.Message))
        {
            LogResendIgnored(_logger, post.TxHash, e.RpcError?.Message ?? e.Message);
        }
    }

    /// <summary>
    /// Looks at a post on L1 and moves it on: re-sends it if the node lost it (reorg, restart,
    /// dropped from the pool), re-signs it with higher fees if it is stuck. The caller persists
    /// <paramref name="record"/> afterwards, since it may have gained a signed version.
    /// <paramref name="l1"/> is a view read before this call: a nonce it shows used while no
    /// version of the post is mined means the post can never be mined (<see cref="PostState.Superseded"/>); a version
    /// that reverted while the inbox holds another batch at its index is a <see cref="PostState.Conflict"/>, a value, not an exception.
    /// </summary>
    public async Task<PostCheck> CheckAsync(PostRecord record, L1View l1, CancellationToken cancellationToken)
    {
        var head = (ulong)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        for (var i = record.Signed.Count - 1; i >= 0; i--)
        {
            var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(record.Signed[i].TxHash).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (receipt?.BlockNumber is null || !await IsCanonicalAsync(receipt, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var minedIn = (ulong)receipt.BlockNumber.Value;
            record.MinedInBlock = minedIn;
            record.MinedTxHash = receipt.TransactionHash;
            var confirmations = head >= minedIn ? head - minedIn + 1 : 0;
            if (receipt.Status.Value == 1 && !AppendedToInbox(receipt))
            {
                // Mined and successful, yet the inbox logged nothing: there was no inbox at that address
                // (an L1 reset before it was deployed again). The nonce is spent; the batch is not on L1.
                LogMinedWithoutAppend(_logger, record.BatchIndex, receipt.TransactionHash, Inbox);
                return new PostCheck(PostState.Superseded);
            }

            if (receipt.Status.Value != 1)
            {
                // Reverted: fine only if the inbox already holds this very batch (an earlier copy got in first).
                var onChain = await ReadBatchHashAsync(record.BatchIndex, cancellationToken).ConfigureAwait(false);
                if (!record.HasBatchHash(onChain))
                {
                    return new PostCheck(PostState.Conflict,
                        $"post of batch {record.BatchIndex} reverted in {receipt.TransactionHash} and the inbox holds {onChain.ToHex(true)} for that index, not {record.BatchHash}");
                }
            }

            return new PostCheck(confirmations >= (ulong)_options.Confirmations ? PostState.Confirmed : PostState.Mined);
        }

        var latest = record.Signed[^1];
        if (l1.Nonce > record.Nonce)
        {
            // The nonce was used by a transaction that is none of this post's versions: another sender with the
            // batcher's key, or a chain that is not the one the post was signed for. It can never be mined now.
            return new PostCheck(PostState.Superseded);
        }

        if (record.MinedInBlock is { } lostBlock)
        {
            LogReorgedOut(_logger, record.BatchIndex, lostBlock);
            record.MinedInBlock = null;
            record.MinedTxHash = null;
            await BroadcastAsync(latest, cancellationToken).ConfigureAwait(false);
            return new PostCheck(PostState.Pending);
        }

        if (_time.GetUtcNow() - latest.SentAt >= TimeSpan.FromMilliseconds(_options.StuckAfterMs))
        {
            var bumped = await BumpAsync(record, cancellationToken).ConfigureAwait(false);
            if (bumped is not null)
            {
                record.Signed.Add(bumped);
                LogBumped(_logger, record.BatchIndex, record.Nonce, bumped.MaxFeePerGas, bumped.MaxPriorityFeePerGas);
                await BroadcastAsync(bumped, cancellationToken).ConfigureAwait(false);
                return new PostCheck(PostState.Pending);
            }
        }

        var known = await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(latest.TxHash).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (known is null)
        {
            // The node does not know it (restarted before sending, L1 node restarted, pool evicted it): send again.
            await BroadcastAsync(latest, cancellationToken).ConfigureAwait(false);
        }

        return new PostCheck(PostState.Pending);
    }

    private async Task<bool> IsCanonicalAsync(TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(receipt.BlockNumber)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return block is not null && string.Equals(block.BlockHash, receipt.BlockHash, StringComparison.OrdinalIgnoreCase);
    }

    private bool AppendedToInbox(TransactionReceipt receipt)
    {
        foreach (var log in receipt.DecodeAllEvents<BatchAppendedEvent>())
        {
            if (string.Equals(log.Log.Address, Inbox, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<SignedPost?> BumpAsync(PostRecord record, CancellationToken cancellationToken)
    {
        var previous = record.Signed[^1];
        var (suggestedMax, suggestedTip) = await SuggestFeesAsync(cancellationToken).ConfigureAwait(false);
        var (maxFee, tip) = Raise(previous, suggestedMax, suggestedTip);
        if (maxFee <= BigInteger.Parse(previous.MaxFeePerGas, CultureInfo.InvariantCulture))
        {
            LogFeeCapReached(_logger, record.BatchIndex, _options.MaxFeePerGasWei);
            return null;
        }

        var input = DecodeInput(previous.RawTransaction);
        return Sign(record, input, maxFee, tip);
    }

    /// <summary>Fees that replace <paramref name="previous"/> in a node's pool (raised by FeeBumpPercent), at least the suggested ones, capped.</summary>
    private (BigInteger MaxFee, BigInteger Tip) Raise(SignedPost previous, BigInteger suggestedMax, BigInteger suggestedTip)
    {
        var factor = 100 + _options.FeeBumpPercent;
        var tip = BigInteger.Max(BigInteger.Parse(previous.MaxPriorityFeePerGas, CultureInfo.InvariantCulture) * factor / 100, suggestedTip);
        var maxFee = BigInteger.Min(
            BigInteger.Max(BigInteger.Parse(previous.MaxFeePerGas, CultureInfo.InvariantCulture) * factor / 100, suggestedMax),
            new BigInteger(_options.MaxFeePerGasWei));
        return (maxFee, BigInteger.Min(tip, maxFee));
    }

    private async Task<(BigInteger MaxFee, BigInteger Tip)> SuggestFeesAsync(CancellationToken cancellationToken)
    {
        var latest = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).WaitAsync(cancellationToken).ConfigureAwait(false);
        var baseFee = latest.BaseFeePerGas?.Value ?? BigInteger.Zero;
        BigInteger tip;
        try
        {
            tip = (await _web3.Client.SendRequestAsync<HexBigInteger>("eth_maxPriorityFeePerGas").WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RpcResponseException)
        {
            tip = 1_000_000_000;
        }

        // Twice the base fee survives six full blocks of base fee increases before the post stalls.
        var maxFee = BigInteger.Min(baseFee * 2 + tip, new BigInteger(_options.MaxFeePerGasWei));
        return (maxFee, BigInteger.Min(tip, maxFee));
    }

    private SignedPost Sign(PostRecord record, byte[] input, BigInteger maxFee, BigInteger tip)
    {
        var tx = new Transaction1559(_chainId, record.Nonce, tip, maxFee, record.GasLimit, Inbox, 0, input.ToHex(), new List<AccessListItem>());
        var raw = new Transaction1559Signer().SignTransaction(_key, tx);
        var hash = Primitives.Keccak.Hash(raw.HexToByteArray()).ToString();
        return new SignedPost(hash, "0x" + raw, maxFee.ToString(CultureInfo.InvariantCulture), tip.ToString(CultureInfo.InvariantCulture), _time.GetUtcNow());
    }

    private static byte[] DecodeInput(string rawTransaction)
    {
        var decoded = (Transaction1559)TransactionFactory.CreateTransaction(rawTransaction);
        return decoded.Data.HexToByteArray();
    }

    private static bool IsHarmlessResend(string message) =>
        message.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || message.Contains("already imported", StringComparison.OrdinalIgnoreCase)
        || message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)
        || message.Contains("replacement transaction underpriced", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Debug, Message = "L1 node did not take a re-send of {TxHash}: {Reason}")]
    private static partial void LogResendIgnored(ILogger logger, string txHash, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post of batch {BatchIndex} was mined in block {Block} and is gone after a reorg; sending it again")]
    private static partial void LogReorgedOut(ILogger logger, ulong batchIndex, ulong block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post of batch {BatchIndex} (nonce {Nonce}) is stuck; re-signed with maxFeePerGas {MaxFee} and tip {Tip}")]
    private static partial void LogBumped(ILogger logger, ulong batchIndex, ulong nonce, string maxFee, string tip);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post of batch {BatchIndex} was mined in {TxHash} but the inbox {Inbox} logged no batch: there was no inbox at that address")]
    private static partial void LogMinedWithoutAppend(ILogger logger, ulong batchIndex, string txHash, string inbox);

    [LoggerMessage(Level = LogLevel.Error, Message = "Post of batch {BatchIndex} is stuck and its fees are at the cap of {Cap} wei; raise Batcher:L1:MaxFeePerGasWei")]
    private static partial void LogFeeCapReached(ILogger logger, ulong batchIndex, long cap);
}
