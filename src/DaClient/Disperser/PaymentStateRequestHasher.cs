using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DaClient.Disperser;

/// <summary>
/// The digest signed in GetPaymentStateRequest:
/// sha256(keccak256(uint32 BE 20 ‖ 20-byte account address ‖ uint64 BE timestamp)).
/// Taken from the disperser's hashing code as of early 2026; older dispersers used other
/// schemes, which is why a refused payment-state request is not fatal (docs/da.md).
/// </summary>
internal static class PaymentStateRequestHasher
{
    public static byte[] Digest(string accountAddress, ulong timestampNs)
    {
        var address = Convert.FromHexString(accountAddress.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? accountAddress[2..] : accountAddress);
        var preimage = new byte[4 + address.Length + 8];
        BinaryPrimitives.WriteUInt32BigEndian(preimage, (uint)address.Length);
        address.CopyTo(preimage, 4);
        BinaryPrimitives.WriteUInt64BigEndian(preimage.AsSpan(4 + address.Length), timestampNs);
        return SHA256.HashData(DaCommitment.Keccak256(preimage));
    }
}
