using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Batcher.L1;

/// <summary>Constructor call of BatchInbox (docs/l1.md, "Deployment").</summary>
public sealed class InboxDeployment() : ContractDeploymentMessage(InboxContract.Bytecode)
{
    [Parameter("address", "batcher_", 1)]
    public string Batcher { get; set; } = "";

    [Parameter("address", "sequencer_", 2)]
    public string Sequencer { get; set; } = "";

    [Parameter("uint256", "l2ChainId_", 3)]
    public System.Numerics.BigInteger L2ChainId { get; set; }

    [Parameter("uint64", "forcedInclusionWindow_", 4)]
    public ulong ForcedInclusionWindow { get; set; }

    [Parameter("uint64", "maxPublishDelay_", 5)]
    public ulong MaxPublishDelay { get; set; }

    [Parameter("uint256", "minimumBond_", 6)]
    public System.Numerics.BigInteger MinimumBond { get; set; }
}

/// <summary>What a BatchInbox is deployed with.</summary>
/// <param name="Batcher">The only account that may append batches.</param>
/// <param name="Sequencer">The address that signs soft confirmations (Sequencer:ChainId's EIP-712 domain).</param>
/// <param name="L2ChainId">Chain id of the EIP-712 domain of soft confirmations.</param>
/// <param name="ForcedInclusionWindow">L1 blocks a forced transaction may wait before a batch must consume it.</param>
/// <param name="MaxPublishDelaySeconds">Seconds after a confirmation's timestamp by which a batch must cover it.</param>
/// <param name="MinimumBondWei">appendBatch reverts while the bond is below this.</param>
public sealed record InboxSettings(
    string Batcher,
    string Sequencer,
    ulong L2ChainId,
    ulong ForcedInclusionWindow = InboxSettings.DefaultForcedInclusionWindow,
    ulong MaxPublishDelaySeconds = InboxSettings.DefaultMaxPublishDelaySeconds,
    ulong MinimumBondWei = 0)
{
    /// <summary>About five minutes of mainnet blocks.</summary>
    public const ulong DefaultForcedInclusionWindow = 25;

    public const ulong DefaultMaxPublishDelaySeconds = 3600;

    internal InboxDeployment ToDeployment() => new()
    {
        Batcher = Batcher,
        Sequencer = Sequencer,
        L2ChainId = L2ChainId,
        ForcedInclusionWindow = ForcedInclusionWindow,
        MaxPublishDelay = MaxPublishDelaySeconds,
        MinimumBond = MinimumBondWei,
    };
}
