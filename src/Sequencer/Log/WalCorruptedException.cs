namespace Sequencer.Log;

/// <summary>
/// The log holds damage that a torn tail cannot explain (a bad record before the last segment's end,
/// a gap in sequence numbers). Starting anyway could drop confirmed transactions, so startup stops.
/// </summary>
public sealed class WalCorruptedException(string message) : Exception(message);
