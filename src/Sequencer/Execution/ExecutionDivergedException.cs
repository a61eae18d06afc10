namespace Sequencer.Execution;

/// <summary>
/// The execution node did not execute a block as the sequencer ordered it (other transactions, another
/// order, a refused transaction, an INVALID payload). Execution stops: carrying on would diverge silently.
/// </summary>
public sealed class ExecutionDivergedException(string message) : Exception(message);
