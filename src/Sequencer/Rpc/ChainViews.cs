using Primitives;
using Sequencer.Rpc.Dto;
using Sequencer.Sequencing;
using Sequencer.Transactions;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Rpc;

/// <summary>Turns chain state into the JSON shapes Ethereum clients expect (docs/rpc.md).</summary>
internal sealed class ChainViews(ChainStore store, SoftConfirmationSigner signer, ulong chainId, ulong baseFeePerGas)
{
    private readonly string _miner = signer.Sequencer.ToString();
    private readonly string _baseFee = Hex.EncodeQuantity(baseFeePerGas);

    public ulong ChainId => chainId;

    public string Sequencer => _miner;

    /// <summary>A published block with transaction hashes only (or none, for newHeads).</summary>
    public BlockDto<string> Header(ChainBlock block, bool withTransactions = false)
    {
        var hashes = new List<string>(withTransactions ? block.TransactionCount : 0);
        if (withTransactions)
        {
            foreach (var tx in Transactions(block))
            {
                hashes.Add(tx.Hash.ToString());
            }
        }

        return Build(block, hashes, published: true);
    }

    public BlockDto<TransactionDto> Full(ChainBlock block, bool published)
    {
        var transactions = new List<TransactionDto>(block.TransactionCount);
        foreach (var tx in Transactions(block))
        {
            transactions.Add(Transaction(tx, published ? block : null));
        }

        return Build(block, transactions, published);
    }

    public BlockDto<string> Pending(ChainBlock block)
    {
        var hashes = new List<string>(block.TransactionCount);
        foreach (var tx in Transactions(block))
        {
            hashes.Add(tx.Hash.ToString());
        }

        return Build(block, hashes, published: false);
    }

    /// <summary>A transaction; block fields are null until its block is published, as nodes do for pending ones.</summary>
    public TransactionDto Transaction(SequencedTransaction tx, ChainBlock? publishedBlock)
    {
        if (!TransactionDecoder.TryDecode(tx.Raw, out var decoded, out var rejection))
        {
            throw new InvalidOperationException($"a sequenced transaction no longer decodes: {rejection}");
        }

        var dynamicFee = decoded.Type == TxType.DynamicFee;
        var effectivePrice = dynamicFee
            ? UInt128.Min(decoded.MaxFeePerGas, (UInt128)baseFeePerGas + decoded.MaxPriorityFeePerGas)
            : decoded.GasPrice;
        List<AccessListEntryDto>? accessList = null;
        if (decoded.Type != TxType.Legacy)
        {
            accessList = new List<AccessListEntryDto>(decoded.AccessList.Length);
            foreach (var entry in decoded.AccessList.Span)
            {
                var keys = new List<string>(entry.StorageKeys.Length);
                foreach (var key in entry.StorageKeys.Span)
                {
                    keys.Add(key.ToString());
                }

                accessList.Add(new AccessListEntryDto { Address = entry.Address.ToString(), StorageKeys = keys });
            }
        }

        return new TransactionDto
        {
            BlockHash = publishedBlock?.Hash.ToString(),
            BlockNumber = publishedBlock is null ? null : Hex.EncodeQuantity(tx.BlockNumber),
            TransactionIndex = publishedBlock is null ? null : Hex.EncodeQuantity(tx.Index),
            Hash = tx.Hash.ToString(),
            From = tx.Sender.ToString(),
            To = decoded.To?.ToString(),
            Nonce = Hex.EncodeQuantity(decoded.Nonce),
            Gas = Hex.EncodeQuantity(decoded.GasLimit),
            GasPrice = Quantity(effectivePrice),
            MaxFeePerGas = dynamicFee ? Quantity(decoded.MaxFeePerGas) : null,
            MaxPriorityFeePerGas = dynamicFee ? Quantity(decoded.MaxPriorityFeePerGas) : null,
            Value = Hex.EncodeQuantity(decoded.ValueBytes.Span),
            Input = new HexData(decoded.Data),
            Type = Hex.EncodeQuantity((ulong)decoded.Type),
            ChainId = Hex.EncodeQuantity(decoded.ChainId),
            AccessList = accessList,
            V = Hex.EncodeQuantity(decoded.V),
            R = Hex.EncodeQuantity(decoded.R.Bytes),
            S = Hex.EncodeQuantity(decoded.S.Bytes),
            YParity = decoded.Type == TxType.Legacy ? null : Hex.EncodeQuantity(decoded.YParity),
            Sequence = Hex.EncodeQuantity((ulong)tx.Sequence),
        };
    }

    public SoftConfirmationDto Confirmation(SequencedTransaction tx) => SoftConfirmationDto.Of(tx, signer);

    /// <summary>The same confirmation as <see cref="Confirmation"/>, written as JSON without a DTO (the write path's reply).</summary>
    public RpcResult ConfirmationResult(SequencedTransaction tx) => RpcResult.Json(new SoftConfirmationJson(tx, signer, _miner));

    /// <summary>The sponsored lane's reply: the confirmation and the identity account's from, nonce and gas, written without a DTO.</summary>
    public RpcResult SponsoredConfirmationResult(SequencedTransaction tx, Primitives.Address from, ulong nonce, ulong gas) =>
        RpcResult.Json(new SponsoredConfirmationJson(tx, signer, _miner, from, nonce, gas));

    private BlockDto<T> Build<T>(ChainBlock block, List<T> transactions, bool published)
    {
        // Header fields of an open block change under the writer: read them from its durable transactions instead.
        var size = 508L;
        var accumulator = published ? block.Accumulator : store.LatestBlock.Accumulator;
        var gasUsed = 0UL;
        foreach (var tx in Transactions(block))
        {
            size += tx.Raw.Length;
            gasUsed += tx.GasLimit;
            accumulator = published ? accumulator : tx.Accumulator;
        }

        return new BlockDto<T>
        {
            Number = Hex.EncodeQuantity(block.Number),
            Hash = published ? block.Hash.ToString() : null,
            ParentHash = block.ParentHash.ToString(),
            TransactionsRoot = published ? block.TransactionsHash.ToString() : BlockConstants.ZeroHash,
            Miner = _miner,
            Size = Hex.EncodeQuantity((ulong)size),
            GasLimit = Hex.EncodeQuantity(block.GasLimit),
            GasUsed = Hex.EncodeQuantity(published ? block.GasUsed : gasUsed),
            Timestamp = Hex.EncodeQuantity(block.Timestamp),
            BaseFeePerGas = _baseFee,
            Transactions = transactions,
            SequencerAccumulator = accumulator.ToString(),
            FirstSequence = Hex.EncodeQuantity((ulong)block.FirstSequence),
        };
    }

    private IEnumerable<SequencedTransaction> Transactions(ChainBlock block)
    {
        var count = store.DurableTransactionCount(block);
        for (var i = 0; i < count; i++)
        {
            yield return store.GetTransaction(block.FirstSequence + i)!;
        }
    }

    private static string Quantity(UInt128 value) => value == 0 ? "0x0" : "0x" + value.ToString("x");
}
