namespace Sequencer.Execution;

/// <summary>
/// The node's head is not the block before the one to execute (it lost state in a crash, or it is ahead):
/// the follower asks the node for its head again and resumes from there.
/// </summary>
public sealed class ExecutionResumePointMovedException(string message) : Exception(message);
