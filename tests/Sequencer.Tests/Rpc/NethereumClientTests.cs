using TestInfrastructure;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>An unmodified Ethereum client library drives the sequencer.</summary>
public sealed class NethereumClientTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    [Fact]
    public async Task Web3_ReadsChainIdNetworkAndClientVersion()
    {
        var web3 = new Web3(host.RpcUrl.ToString());

        var chainId = await web3.Eth.ChainId.SendRequestAsync();
        var network = await web3.Net.Version.SendRequestAsync();
        var client = await web3.Client.SendRequestAsync<string>("web3_clientVersion");

        Assert.Equal(SequencerHostFixture.ChainId, (ulong)chainId.Value);
        Assert.Equal("424242", network);
        Assert.StartsWith("rollup-sequencer/", client);
    }

    [Fact]
    public async Task Web3_SendsRawTransactions_AndReadsThemBack()
    {
        var web3 = new Web3(host.RpcUrl.ToString());
        var wallet = host.NewWallet(1);

        var legacyHash = await web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(wallet.SignLegacy(wallet.TakeNonce()));
        var dynamicHash = await web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(wallet.Sign1559(wallet.TakeNonce(), value: 12345));
        var pending = await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(wallet.Address, BlockParameter.CreatePending());

        Assert.Equal(2, (int)pending.Value);
        var tx = await WaitForPublishedAsync(web3, dynamicHash);
        Assert.Equal(wallet.Address, tx.From.ToLowerInvariant());
        Assert.Equal(12345, (int)tx.Value.Value);
        Assert.Equal(1, (int)tx.Nonce.Value);
        Assert.Equal(2, (int)tx.Type.Value);

        // The two may straddle a block boundary: each must be in the block its own record names.
        var legacy = await WaitForPublishedAsync(web3, legacyHash);
        var legacyBlock = await web3.Eth.Blocks.GetBlockWithTransactionsByNumber.SendRequestAsync(legacy.BlockNumber);
        Assert.Contains(legacyBlock.Transactions, t => t.TransactionHash == legacyHash);
        Assert.True(legacy.BlockNumber.Value <= tx.BlockNumber.Value);
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsByNumber.SendRequestAsync(tx.BlockNumber);
        Assert.Contains(block.Transactions, t => t.TransactionHash == dynamicHash);
        var byHash = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(block.BlockHash);
        Assert.Equal(block.Number.Value, byHash.Number.Value);

        var latestCount = await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(wallet.Address, BlockParameter.CreateLatest());
        Assert.Equal(2, (int)latestCount.Value);
        var head = await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync();
        Assert.True(head.Value >= block.Number.Value);
    }

    [Fact]
    public async Task Web3_GetsGenesisAsEarliest_AndNullForUnknownBlocks()
    {
        var web3 = new Web3(host.RpcUrl.ToString());

        var genesis = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateEarliest());
        var unknown = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(1_000_000));
        var unknownTx = await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync("0x" + new string('1', 64));

        Assert.Equal(0, (int)genesis.Number.Value);
        Assert.Empty(genesis.TransactionHashes);
        Assert.Null(unknown);
        Assert.Null(unknownTx);
    }

    private static async Task<Transaction> WaitForPublishedAsync(Web3 web3, string hash)
    {
        return await Eventually.UntilAsync(
            () => web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash),
            tx => tx?.BlockHash is not null,
            TimeSpan.FromSeconds(10),
            _ => $"{hash} was not published in a block");
    }
}
