using Nethereum.RPC.Eth.Blocks;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Acceptance.Clients;

/// <summary>
/// Waiting for N confirmations the Nethereum way: its LastConfirmedBlockNumberService (what its block processors use)
/// polls eth_blockNumber until the receipt's block has N blocks on top. On an idle chain only empty blocks give them.
/// </summary>
internal static class NethereumConfirmations
{
    public static async Task WaitAsync(IWeb3 web3, TransactionReceipt receipt, uint confirmations, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var service = new LastConfirmedBlockNumberService(web3.Eth.Blocks.GetBlockNumber, confirmations);
        var confirmed = await service.GetLastConfirmedBlockNumberAsync(receipt.BlockNumber.Value, cancel.Token);

        Assert.True(confirmed >= receipt.BlockNumber.Value);
        var head = (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        Assert.True(head >= receipt.BlockNumber.Value + confirmations, $"head {head}, receipt block {receipt.BlockNumber.Value}");
    }
}
