using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using DaClient.Disperser.Wire;
using Google.Protobuf;

namespace DaClient.Disperser;

/// <summary>
/// The anchor signature of a dispersal: binds the blob key to one chain and one disperser, so a request cannot be
/// replayed elsewhere. Signed over keccak256("disperser.DisperseBlobRequest" ‖ chainId (32 bytes) ‖ disperserId (4) ‖ blobKey).
/// </summary>
internal static class AnchorSignature
{
    private const string Domain = "disperser.DisperseBlobRequest";

    /// <summary>Adds the anchor to <paramref name="request"/>; nothing without an anchor chain id.</summary>
    public static void Add(DisperseBlobRequest request, byte[] blobKey, long anchorChainId, uint disperserId, AccountSigner signer)
    {
        if (anchorChainId <= 0)
        {
            return;
        }

        var chainId = new byte[32];
        var value = new BigInteger(anchorChainId);
        value.TryWriteBytes(chainId.AsSpan(32 - value.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        var domain = Encoding.ASCII.GetBytes(Domain);
        var preimage = new byte[domain.Length + 32 + 4 + 32];
        domain.CopyTo(preimage, 0);
        chainId.CopyTo(preimage, domain.Length);
        BinaryPrimitives.WriteUInt32BigEndian(preimage.AsSpan(domain.Length + 32, 4), disperserId);
        blobKey.CopyTo(preimage, domain.Length + 36);
        request.AnchorSignature = ByteString.CopyFrom(signer.Sign(DaCommitment.Keccak256(preimage)));
        request.DisperserId = disperserId;
        request.ChainId = ByteString.CopyFrom(chainId);
    }
}
