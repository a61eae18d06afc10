namespace DaClient.Tests;

public sealed class DaCommitmentTests
{
    [Fact]
    public void Bytes_are_the_kind_byte_then_the_body_and_parse_back()
    {
        var body = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var commitment = new DaCommitment(DaCommitmentKind.Local, body);

        var bytes = commitment.ToBytes();

        Assert.Equal(0x00, bytes[0]);
        Assert.Equal(body, bytes[1..]);
        Assert.Equal(commitment, DaCommitment.Parse(bytes));
    }

    [Fact]
    public void Calldata_commitment_is_kind_3_with_the_keccak_of_the_batch()
    {
        var commitment = DaCommitment.ForCalldata("abc"u8);

        Assert.Equal(DaCommitmentKind.L1Calldata, commitment.Kind);
        Assert.Equal(0x03, commitment.ToBytes()[0]);
        // keccak256("abc")
        Assert.Equal("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", Convert.ToHexStringLower(commitment.Body.Span));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x07, 1, 2 })]
    [InlineData(new byte[] { 0x00, 1, 2 })]
    [InlineData(new byte[] { 0x01, 0x00 })]
    [InlineData(new byte[] { 0x02 })]
    public void Malformed_commitments_are_rejected_with_a_format_error(byte[] bytes) =>
        Assert.Throws<DaCommitmentFormatException>(() => DaCommitment.Parse(bytes));
}
