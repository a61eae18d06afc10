using DaClient;

namespace Batcher.Verification;

/// <summary>What to verify: the inbox on L1, where batches live, and the confirmations to hold against them.</summary>
public sealed record VerifyRequest(string L1RpcUrl, string InboxAddress, MultiBackendDaReader Da)
{
    /// <summary>L1 block to start reading events from (the inbox's deployment block saves time on a long chain).</summary>
    public ulong FromL1Block { get; init; }

    /// <summary>Confirmations to check (from a file); null when none are given.</summary>
    public IReadOnlyList<SoftConfirmation>? Confirmations { get; init; }

    /// <summary>The sequencer's JSON-RPC: every published transaction's confirmation and every block are fetched and compared.</summary>
    public string? SequencerRpcUrl { get; init; }

    /// <summary>When set, every confirmation's EIP-712 signature must recover to this address.</summary>
    public string? SequencerAddress { get; init; }

    /// <summary>L2 chain id: checked against each batch header, and the EIP-712 domain of signatures.</summary>
    public ulong? ChainId { get; init; }

    /// <summary>File holding an L1 private key: submit a proof for each broken confirmation (<c>--prove</c>).</summary>
    public string? ProverKeyFile { get; init; }
}
