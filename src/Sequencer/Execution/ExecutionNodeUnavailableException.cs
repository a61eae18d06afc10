namespace Sequencer.Execution;

/// <summary>The execution node could not be reached, timed out, or answered with something that is not JSON-RPC.</summary>
public sealed class ExecutionNodeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
