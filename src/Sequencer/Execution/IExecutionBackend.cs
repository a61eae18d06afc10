using Primitives.Chain;

namespace Sequencer.Execution;

/// <summary>
/// Runs sealed blocks on an execution node, one at a time, in order. The node is the source of truth
/// for how far execution got, so a restarted sequencer or a node that lost state resumes correctly.
/// </summary>
public interface IExecutionBackend
{
    /// <summary>The last sequencer block the node has executed (0: only genesis), read from the node itself.</summary>
    Task<ulong> GetLastExecutedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Executes <paramref name="block"/>, which must follow the last executed block, and checks that the node
    /// included exactly its transactions in its order. If the node already holds that block (an earlier
    /// attempt's answer was lost), it is checked instead of executed again.
    /// </summary>
    /// <exception cref="ExecutionDivergedException">The node executed something else: fatal.</exception>
    /// <exception cref="ExecutionResumePointMovedException">The node's head is not the parent: re-read the resume point.</exception>
    /// <exception cref="ExecutionNodeUnavailableException">The node is down or busy: retry later.</exception>
    Task ExecuteAsync(SealedBlock block, CancellationToken cancellationToken);
}
