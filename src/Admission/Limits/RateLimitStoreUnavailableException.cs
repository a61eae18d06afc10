namespace Admission.Limits;

/// <summary>Thrown by the read side of a store (operator views) when its backend is unreachable.</summary>
public sealed class RateLimitStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
