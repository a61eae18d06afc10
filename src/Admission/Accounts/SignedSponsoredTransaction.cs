using Primitives;

namespace Admission.Accounts;

/// <summary>A signed zero-fee transaction ready for the sponsored lane, and who it is from.</summary>
public sealed record SignedSponsoredTransaction(byte[] Raw, Address From, ulong Nonce, ulong Gas);
