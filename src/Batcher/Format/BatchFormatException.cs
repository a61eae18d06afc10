namespace Batcher.Format;

/// <summary>The bytes are not a valid batch; the message says what is wrong and where.</summary>
public sealed class BatchFormatException(string message) : Exception(message);
