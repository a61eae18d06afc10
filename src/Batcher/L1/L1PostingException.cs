namespace Batcher.L1;

/// <summary>L1 disagrees with the batcher in a way a retry cannot fix (inbox holds another batch, the key's nonce was used elsewhere).</summary>
public sealed class L1PostingException(string message) : Exception(message);
