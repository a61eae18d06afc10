using Admission.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Sequencer.Demo;

/// <summary>
/// Development only: deploys the Guestbook that /app writes to, through this host's own JSON-RPC endpoint (the paid
/// lane, as any developer would), from anvil's dev account #9, and publishes its address to the page (AppDemo).
/// The deployer's first transaction is the deployment, so after a restart (anvil replays the chain) the address is
/// CREATE(deployer, 0) again and nothing is sent. Failure only leaves the demo off: the host runs on.
/// </summary>
internal sealed partial class GuestbookDeployer(
    AppDemo demo, IServer server, IHostApplicationLifetime lifetime, ILogger<GuestbookDeployer> logger) : BackgroundService
{
    /// <summary>anvil's dev account #9 (mnemonic "test … junk"): public, funded on every anvil dev chain, dev only.</summary>
    public const string DeployerKey = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

    private static readonly TimeSpan CodeWait = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The endpoint listens only once the host has started.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task.ConfigureAwait(false);
        }

        demo.Deploying();
        try
        {
            var address = await DeployOrFindAsync(OwnRpcUrl(), stoppingToken).ConfigureAwait(false);
            demo.Ready(address, GuestbookContract.Selectors);
            LogReady(logger, address);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Any failure (no funds on a non-anvil node, the node unreachable): say it on the page and in the log.
            demo.Failed("the demo guestbook could not be deployed: " + error.Message);
            LogFailed(logger, error.Message);
        }
    }

    private static async Task<string> DeployOrFindAsync(string rpcUrl, CancellationToken cancellationToken)
    {
        var chainId = await new Web3(rpcUrl).Eth.ChainId.SendRequestAsync().ConfigureAwait(false);
        var account = new Account(DeployerKey, chainId.Value);
        var web3 = new Web3(account, rpcUrl);
        web3.TransactionManager.TransactionReceiptService.SetPollingRetryIntervalInMilliseconds(100);
        var address = ContractUtils.CalculateContractAddress(account.Address, 0);
        var nonce = await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(account.Address, BlockParameter.CreatePending()).ConfigureAwait(false);
        if (nonce.Value == 0)
        {
            var gas = await web3.Eth.DeployContract.EstimateGasAsync(GuestbookContract.Abi, GuestbookContract.Bytecode, account.Address).ConfigureAwait(false);
            var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
                GuestbookContract.Abi, GuestbookContract.Bytecode, account.Address, new HexBigInteger(gas.Value * 5 / 4), cancellationToken).ConfigureAwait(false);
            if (receipt.Status?.Value != 1)
            {
                throw new InvalidOperationException($"the deployment transaction {receipt.TransactionHash} failed on the execution node");
            }
        }

        // On a restart anvil replays the chain: wait until the code is back.
        var deadline = DateTime.UtcNow + CodeWait;
        while ((await web3.Eth.GetCode.SendRequestAsync(address).ConfigureAwait(false)) is null or "0x")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"no code at {address} after {CodeWait.TotalSeconds} s (the deployer's first transaction is not the guestbook)");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        return address;
    }

    /// <summary>This host's endpoint as a loopback URL (a wildcard or 0.0.0.0 binding is reached on 127.0.0.1).</summary>
    private string OwnRpcUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("the host listens on no http:// address");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "localhost" or "[::]")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri.ToString();
    }

    [LoggerMessage(EventId = 680, Level = LogLevel.Information, Message = "Demo: the /app guestbook is at {Address}")]
    private static partial void LogReady(ILogger logger, string address);

    [LoggerMessage(EventId = 681, Level = LogLevel.Warning, Message = "Demo: {Reason}; /app shows only the advanced form")]
    private static partial void LogFailed(ILogger logger, string reason);
}
