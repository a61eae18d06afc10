namespace Batcher.L1;

/// <summary>There is no contract at the inbox address (yet): the batcher waits for it instead of posting to nothing.</summary>
public sealed class InboxNotDeployedException(string message) : Exception(message);
