using System.Numerics;
using Batcher.L1;
using Nethereum.Contracts;
using Nethereum.Contracts.ContractHandlers;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Primitives;
using Primitives.Chain;
using TestInfrastructure.Anvil;

namespace Batcher.Tests.L1;

/// <summary>
/// One freshly deployed BatchInbox on the shared anvil, with the accounts that use it: the owner
/// (anvil key 0), the batcher (key 1), a prover (key 2) and the sequencer's signing key.
/// </summary>
public sealed class InboxRig
{
    /// <summary>Third key of anvil's public test mnemonic.</summary>
    public const string ProverKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    public const string SequencerKey = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

    public const ulong L2ChainId = 424242;

    private InboxRig(AnvilNode anvil, string address)
    {
        Anvil = anvil;
        Address = address;
    }

    public AnvilNode Anvil { get; }

    public string Address { get; }

    public static string SequencerAddress => new EthECKey(SequencerKey).GetPublicAddress();

    public static string ProverAddress => new EthECKey(ProverKey).GetPublicAddress();

    public static async Task<InboxRig> DeployAsync(AnvilNode anvil, ulong window = 25, ulong maxPublishDelay = 600, ulong minimumBond = 0)
    {
        var batcher = new EthECKey(AnvilNode.DevKey1).GetPublicAddress();
        var address = await InboxDeployer.DeployAsync(anvil.RpcUrl, AnvilNode.DevKey0,
            new InboxSettings(batcher, SequencerAddress, L2ChainId, window, maxPublishDelay, minimumBond));
        return new InboxRig(anvil, address);
    }

    public Web3 As(string key) => new(new Account(key, Anvil.ChainId), Anvil.RpcUrl);

    public Task<TransactionReceipt> SendAsync<TFunction>(string key, TFunction function)
        where TFunction : FunctionMessage, new() =>
        As(key).Eth.GetContractTransactionHandler<TFunction>().SendRequestAndWaitForReceiptAsync(Address, function);

    public Task<TResult> QueryAsync<TFunction, TResult>(TFunction function)
        where TFunction : FunctionMessage, new() =>
        new Web3(Anvil.RpcUrl).Eth.GetContractQueryHandler<TFunction>().QueryAsync<TResult>(Address, function);

    /// <summary>The custom error <paramref name="function"/> sent by <paramref name="key"/> reverts with, as its signature's name; fails the test if it does not revert.</summary>
    public async Task<string> RevertOfAsync<TFunction>(string key, TFunction function, params string[] knownErrors)
        where TFunction : FunctionMessage, new()
    {
        function.FromAddress = new EthECKey(key).GetPublicAddress();
        try
        {
            await new Web3(Anvil.RpcUrl).Eth.GetContractQueryHandler<TFunction>().QueryRawAsync(Address, function);
        }
        catch (SmartContractCustomErrorRevertException revert)
        {
            var selector = revert.ExceptionEncodedData[..10];
            foreach (var error in knownErrors)
            {
                if ("0x" + Sha3Keccack.Current.CalculateHash(error)[..8] == selector)
                {
                    return error[..error.IndexOf('(', StringComparison.Ordinal)];
                }
            }

            return selector;
        }

        throw new Xunit.Sdk.XunitException($"{typeof(TFunction).Name} did not revert");
    }

    /// <summary>appendBatch from the batcher for blocks [firstBlock, lastBlock] whose transactions have <paramref name="leaves"/>.</summary>
    public AppendBatchFunction Batch(ulong index, ulong firstBlock, ulong lastBlock, Hash32[] leaves, ulong forcedThrough = 0) => new()
    {
        BatchIndex = index,
        FirstBlock = firstBlock,
        LastBlock = lastBlock,
        BatchHash = Keccak.Hash(BitConverter.GetBytes(index)).ToArray(),
        Accumulator = new byte[32],
        TxCount = (ulong)leaves.Length,
        TxRoot = TransactionTree.Root(leaves).ToArray(),
        ForcedThrough = forcedThrough,
        DaCommitment = [0x01, .. Keccak.Hash(BitConverter.GetBytes(index)).Bytes],
    };

    public Task<TransactionReceipt> AppendAsync(AppendBatchFunction batch) => SendAsync(AnvilNode.DevKey1, batch);

    public Task<TransactionReceipt> ForceIncludeAsync(byte[] rawTx) => SendAsync(ProverKey, new ForceIncludeFunction { RawTx = rawTx });

    public Task<TransactionReceipt> PostBondAsync(BigInteger wei) => SendAsync(AnvilNode.DevKey0, new PostBondFunction { AmountToSend = wei });

    public Task<BigInteger> BondAsync() => QueryAsync<BondFunction, BigInteger>(new BondFunction());

    public Task<bool> FaultedAsync() => QueryAsync<SequencerFaultedFunction, bool>(new SequencerFaultedFunction());

    public async Task MineAsync(int blocks) =>
        await new Web3(Anvil.RpcUrl).Client.SendRequestAsync<object>("anvil_mine", null, new HexBigInteger(blocks));

    public async Task IncreaseTimeAsync(ulong seconds)
    {
        var web3 = new Web3(Anvil.RpcUrl);
        await web3.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(seconds));
        await MineAsync(1);
    }

    public async Task<ulong> L1TimestampAsync()
    {
        var block = await new Web3(Anvil.RpcUrl).Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return (ulong)block.Timestamp.Value;
    }
}
