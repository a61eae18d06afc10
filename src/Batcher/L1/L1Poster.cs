using System.Globalization;
using System.Numerics;
using Batcher.Hosting;
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

    public static async Task<L1Poster> ConnectAsync(string rpcUrl, EthECKey key, string inbox, L1PostingOptions options, TimeProvider time, ILogger logger)
    {
        var web3 = new Web3(rpcUrl);
        var chainId = await web3.Eth.ChainId.SendRequestAsync().ConfigureAwait(false);
        return new L1Poster(web3, key, inbox, chainId.Value, options, time, logger);
    }

    /// <summary>The next nonce the node would accept from the batcher, counting its pending transactions.</summary>
    public async Task<ulong> GetPendingNonceAsync()
    {
        var count = await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Address, BlockParameter.CreatePending()).ConfigureAwait(false);
        return (ulong)count.Value;
    }

    /// <summary>What the inbox has accepted so far: the next batch index and the next block it expects.</summary>
    public async Task<(ulong NextBatchIndex, ulong NextBlock)> ReadInboxAsync()
    {
        var index = await _web3.Eth.GetContractQueryHandler<NextBatchIndexFunction>().QueryAsync<ulong>(Inbox, new NextBatchIndexFunction()).ConfigureAwait(false);
        var block = await _web3.Eth.GetContractQueryHandler<NextBlockFunction>().QueryAsync<ulong>(Inbox, new NextBlockFunction()).ConfigureAwait(false);
        return (index, block);
    }

    public Task<byte[]> ReadBatchHashAsync(ulong batchIndex) =>
        _web3.Eth.GetContractQueryHandler<BatchHashesFunction>().QueryAsync<byte[]>(Inbox, new BatchHashesFunction { BatchIndex = batchIndex });

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

    /// <summary>Signs the first version of a post (nonce given by the caller, who owns nonce order).</summary>
    public async Task SignAsync(PostRecord record, byte[] input)
    {
        // Intrinsic cost with the calldata floor price of EIP-7623 (40 gas per non-zero byte, 10 per zero),
        // plus the inbox's own work (three storage writes and the event). No eth_estimateGas: a post
        // queued behind unmined ones would revert in estimation.
        var zeros = input.AsSpan().Count((byte)0);
        record.GasLimit = 21_000 + (ulong)(40 * (input.Length - zeros) + 10 * zeros) + 120_000 + (ulong)input.Length * 8;
        var (maxFee, tip) = await SuggestFeesAsync().ConfigureAwait(false);
        record.Signed.Add(Sign(record, input, maxFee, tip));
    }

    /// <summary>Sends a signed post; a node that already has it, or already mined it, is not an error.</summary>
    public async Task BroadcastAsync(SignedPost post)
    {
        try
        {
            await _web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(post.RawTransaction).ConfigureAwait(false);
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
    /// </summary>
    public async Task<PostState> CheckAsync(PostRecord record)
    {
        var head = (ulong)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value;
        for (var i = record.Signed.Count - 1; i >= 0; i--)
        {
            var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(record.Signed[i].TxHash).ConfigureAwait(false);
            if (receipt?.BlockNumber is null || !await IsCanonicalAsync(receipt).ConfigureAwait(false))
            {
                continue;
            }

            var minedIn = (ulong)receipt.BlockNumber.Value;
            record.MinedInBlock = minedIn;
            record.MinedTxHash = receipt.TransactionHash;
            var confirmations = head >= minedIn ? head - minedIn + 1 : 0;
            if (receipt.Status.Value != 1)
            {
                // Reverted: fine only if the inbox already holds this very batch (an earlier copy got in first).
                var onChain = await ReadBatchHashAsync(record.BatchIndex).ConfigureAwait(false);
                if (!onChain.ToHex(true).Equals(record.BatchHash, StringComparison.OrdinalIgnoreCase))
                {
                    throw new L1PostingException(
                        $"post of batch {record.BatchIndex} reverted in {receipt.TransactionHash} and the inbox holds {onChain.ToHex(true)} for that index, not {record.BatchHash}");
                }
            }

            return confirmations >= (ulong)_options.Confirmations ? PostState.Confirmed : PostState.Mined;
        }

        var latest = record.Signed[^1];
        if (record.MinedInBlock is { } lostBlock)
        {
            LogReorgedOut(_logger, record.BatchIndex, lostBlock);
            record.MinedInBlock = null;
            record.MinedTxHash = null;
            await BroadcastAsync(latest).ConfigureAwait(false);
            return PostState.Pending;
        }

        if (_time.GetUtcNow() - latest.SentAt >= TimeSpan.FromMilliseconds(_options.StuckAfterMs))
        {
            var bumped = await BumpAsync(record).ConfigureAwait(false);
            if (bumped is not null)
            {
                record.Signed.Add(bumped);
                LogBumped(_logger, record.BatchIndex, record.Nonce, bumped.MaxFeePerGas, bumped.MaxPriorityFeePerGas);
                await BroadcastAsync(bumped).ConfigureAwait(false);
                return PostState.Pending;
            }
        }

        var known = await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(latest.TxHash).ConfigureAwait(false);
        if (known is null)
        {
            // The node does not know it (restarted before sending, L1 node restarted, pool evicted it): send again.
            await BroadcastAsync(latest).ConfigureAwait(false);
        }

        return PostState.Pending;
    }

    private async Task<bool> IsCanonicalAsync(TransactionReceipt receipt)
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(receipt.BlockNumber)).ConfigureAwait(false);
        return block is not null && string.Equals(block.BlockHash, receipt.BlockHash, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<SignedPost?> BumpAsync(PostRecord record)
    {
        var previous = record.Signed[^1];
        var (suggestedMax, suggestedTip) = await SuggestFeesAsync().ConfigureAwait(false);
        var factor = 100 + _options.FeeBumpPercent;
        var tip = BigInteger.Max(BigInteger.Parse(previous.MaxPriorityFeePerGas, CultureInfo.InvariantCulture) * factor / 100, suggestedTip);
        var maxFee = BigInteger.Max(BigInteger.Parse(previous.MaxFeePerGas, CultureInfo.InvariantCulture) * factor / 100, suggestedMax);
        var cap = new BigInteger(_options.MaxFeePerGasWei);
        if (maxFee > cap)
        {
            maxFee = cap;
        }

        if (tip > maxFee)
        {
            tip = maxFee;
        }

        if (maxFee <= BigInteger.Parse(previous.MaxFeePerGas, CultureInfo.InvariantCulture))
        {
            LogFeeCapReached(_logger, record.BatchIndex, _options.MaxFeePerGasWei);
            return null;
        }

        var input = DecodeInput(previous.RawTransaction);
        return Sign(record, input, maxFee, tip);
    }

    private async Task<(BigInteger MaxFee, BigInteger Tip)> SuggestFeesAsync()
    {
        var latest = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).ConfigureAwait(false);
        var baseFee = latest.BaseFeePerGas?.Value ?? BigInteger.Zero;
        BigInteger tip;
        try
        {
            tip = (await _web3.Client.SendRequestAsync<HexBigInteger>("eth_maxPriorityFeePerGas").ConfigureAwait(false)).Value;
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
        var hash = Nethereum.Util.Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex(true);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Post of batch {BatchIndex} is stuck and its fees are at the cap of {Cap} wei; raise Batcher:L1:MaxFeePerGasWei")]
    private static partial void LogFeeCapReached(ILogger logger, ulong batchIndex, long cap);
}
