using System.Security.Cryptography;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Primitives.Secrets;

namespace Batcher.L1;

/// <summary>Deploys BatchInbox from the committed artifact (for tests, devnets and first setup).</summary>
public static class InboxDeployer
{
    /// <summary>Deploys an inbox with <paramref name="settings"/>; the deployer becomes its owner. Returns its address.</summary>
    public static async Task<string> DeployAsync(string rpcUrl, string deployerPrivateKey, InboxSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var secret = SecretHex.Parse(deployerPrivateKey, "the deployer key", SecretShape.PrivateKey);
        var key = new EthECKey(secret, isPrivate: true);
        CryptographicOperations.ZeroMemory(secret);
        var chainId = await new Web3(rpcUrl).Eth.ChainId.SendRequestAsync().ConfigureAwait(false);
        var web3 = new Web3(new Account(key, chainId), rpcUrl);
        var receipt = await web3.Eth.GetContractDeploymentHandler<InboxDeployment>()
            .SendRequestAndWaitForReceiptAsync(settings.ToDeployment(), cancellationToken).ConfigureAwait(false);
        if (receipt.Status.Value != 1 || string.IsNullOrEmpty(receipt.ContractAddress))
        {
            throw new L1PostingException($"BatchInbox deployment failed in transaction {receipt.TransactionHash}");
        }

        return receipt.ContractAddress;
    }
}
