using DaClient.Disperser;
using DaClient.Disperser.Wire;
using DaClient.Tests.Fakes;
using Google.Protobuf;

namespace DaClient.Tests.Disperser;

public sealed class BlobKeyHasherTests
{
    [Fact]
    public void Payment_metadata_hash_matches_the_vector_published_with_the_eigenda_go_code()
    {
        // Vector from EigenDA's own tests (account 0x…0123, timestamp 5, cumulative payment 100),
        // stated there to be verified against the Solidity hasher.
        var payment = new PaymentHeader
        {
            AccountId = "0x0000000000000000000000000000000000000123",
            Timestamp = 5,
            CumulativePayment = ByteString.CopyFrom([100]),
        };

        var hash = BlobKeyHasher.PaymentMetadataHash(payment);

        Assert.Equal("234c3d10881641264afe33cf492000f8ecd505e385050314c63469c3ad2977c9", Convert.ToHexStringLower(hash));
    }

    private static BlobHeader Header(params uint[] quorums)
    {
        var header = new BlobHeader
        {
            Version = 0,
            Commitment = FakeKzg.Commit(new byte[] { 0, 1, 2, 3 }),
            PaymentHeader = new PaymentHeader { AccountId = "0x0000000000000000000000000000000000000123", Timestamp = 5 },
        };
        header.QuorumNumbers.AddRange(quorums);
        return header;
    }

    [Fact]
    public void Quorum_order_does_not_change_the_key_but_every_field_does()
    {
        var key = BlobKeyHasher.ComputeBlobKey(Header(0, 1));

        Assert.Equal(key, BlobKeyHasher.ComputeBlobKey(Header(1, 0)));
        Assert.NotEqual(key, BlobKeyHasher.ComputeBlobKey(Header(0)));

        var later = Header(0, 1);
        later.PaymentHeader.Timestamp = 6;
        Assert.NotEqual(key, BlobKeyHasher.ComputeBlobKey(later));

        var versioned = Header(0, 1);
        versioned.Version = 1;
        Assert.NotEqual(key, BlobKeyHasher.ComputeBlobKey(versioned));

        var longer = Header(0, 1);
        longer.Commitment.Length *= 2;
        Assert.NotEqual(key, BlobKeyHasher.ComputeBlobKey(longer));
    }

    [Fact]
    public void A_commitment_that_is_not_a_curve_point_is_rejected()
    {
        var header = Header(0);
        header.Commitment.Commitment = ByteString.CopyFrom(new byte[31]);

        Assert.Throws<DaCommitmentFormatException>(() => BlobKeyHasher.ComputeBlobKey(header));
    }
}
