namespace Batcher.L1;

/// <summary>
/// What L1 says at one block: the poster's nonce and where the inbox stands, all read at
/// <paramref name="Block"/> so that they agree with each other even while blocks are mined.
/// </summary>
/// <param name="Block">The L1 block everything was read at (the latest when read).</param>
/// <param name="Nonce">Transactions the poster's address has had mined.</param>
/// <param name="InboxDeployed">False when there is no contract code at the inbox address (an L1 reset before it was deployed again).</param>
/// <param name="NextBatchIndex">The index the inbox takes next (0 without an inbox).</param>
/// <param name="NextBlock">The first L2 block of the batch the inbox takes next.</param>
public sealed record L1View(ulong Block, ulong Nonce, bool InboxDeployed, ulong NextBatchIndex, ulong NextBlock);
