using Primitives;

namespace Admission.Accounts;

/// <summary>
/// A signed zero-fee transaction ready for the sponsored lane: its bytes, its hash (keccak256 of them) and who
/// it is from, known because the sequencer built it, so nothing needs to decode it or recover its sender again.
/// </summary>
public sealed record SignedSponsoredTransaction(byte[] Raw, Hash32 Hash, Address From, ulong Nonce, ulong Gas);
