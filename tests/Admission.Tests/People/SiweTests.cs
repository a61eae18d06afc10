using Admission.People.Siwe;
using TestInfrastructure.Ethereum;

namespace Admission.Tests.People;

/// <summary>Sign-In with Ethereum messages (EIP-4361) signed by Nethereum, checked field by field and by signature.</summary>
public sealed class SiweTests
{
    private const string Origin = "https://seq.example";
    private const ulong ChainId = 424242;
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly TestWallet _wallet = TestWallet.FromSeed(4361, ChainId);

    private string Message(string domain = "seq.example", string uri = Origin + "/auth/link/wallet", ulong chainId = ChainId, string issuedAt = "2026-12-03T11:59:00Z",
        string extra = "", string? address = null, string statement = "Link this wallet.\n\n") =>
        $"{domain} wants you to sign in with your Ethereum account:\n{address ?? _wallet.ChecksumAddress}\n\n{statement}URI: {uri}\nVersion: 1\nChain ID: {chainId}\nNonce: abcdef0123456789\nIssued At: {issuedAt}{extra}";

    private string? Check(string text, string? signature = null)
    {
        Assert.True(SiweMessage.TryParse(text, out var message, out var error), error);
        return SiweVerifier.Check(message!, signature ?? _wallet.SignMessage(text), Origin, ChainId, Now, MaxAge);
    }

    [Fact]
    public void A_message_signed_by_its_address_for_this_server_is_accepted()
    {
        Assert.True(SiweMessage.TryParse(Message(), out var message, out _));
        Assert.Equal(_wallet.Address, message!.Address.ToString());
        Assert.Equal("abcdef0123456789", message.Nonce);
        Assert.Null(Check(Message()));
        Assert.Null(Check(Message(statement: "", extra: "\nExpiration Time: 2026-12-03T12:05:00Z\nNot Before: 2026-12-03T11:59:00Z\nRequest ID: 7\nResources:\n- https://a.example")));
    }

    [Theory]
    [InlineData("other.example", null, ChainId, "2026-12-03T11:59:00Z", "", "not this server")]
    [InlineData("seq.example", "https://other.example/x", ChainId, "2026-12-03T11:59:00Z", "", "is not on this server")]
    [InlineData("seq.example", null, 1UL, "2026-12-03T11:59:00Z", "", "chain 1")]
    [InlineData("seq.example", null, ChainId, "2026-12-03T12:10:00Z", "", "in the future")]
    [InlineData("seq.example", null, ChainId, "2026-12-03T11:50:00Z", "", "more than 300 s ago")]
    [InlineData("seq.example", null, ChainId, "2026-12-03T11:59:00Z", "\nExpiration Time: 2026-12-03T11:59:30Z", "expired")]
    [InlineData("seq.example", null, ChainId, "2026-12-03T11:59:00Z", "\nNot Before: 2026-12-03T12:30:00Z", "not valid yet")]
    public void Each_field_is_checked(string domain, string? uri, ulong chainId, string issuedAt, string extra, string problem)
    {
        Assert.Contains(problem, Check(Message(domain, uri ?? Origin + "/auth/link/wallet", chainId, issuedAt, extra)), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_key_or_another_text_does_not_pass_as_the_address()
    {
        var other = TestWallet.FromSeed(1, ChainId);
        Assert.Contains("signature", Check(Message(), other.SignMessage(Message())), StringComparison.Ordinal);
        Assert.Contains("signature", Check(Message(), _wallet.SignMessage(Message(statement: "Something else.\n\n"))), StringComparison.Ordinal);
        Assert.Contains("signature", Check(Message(), "0x" + new string('1', 130)), StringComparison.Ordinal);
        Assert.Contains("signature", Check(Message(), "0x12"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seq.example wants to log you in:\n0x0\n\nURI: x", "first line")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\nnot-an-address\n\nURI: x", "checksum")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{lower}\n\nURI: https://seq.example\nVersion: 1\nChain ID: 1\nNonce: abcdef0123\nIssued At: 2026-12-03T11:59:00Z", "checksum")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{address}\n\nURI: https://seq.example\nVersion: 2\nChain ID: 1\nNonce: abcdef0123\nIssued At: 2026-12-03T11:59:00Z", "Version must be 1")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{address}\n\nURI: https://seq.example\nVersion: 1\nChain ID: 1\nNonce: short\nIssued At: 2026-12-03T11:59:00Z", "Nonce")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{address}\n\nURI: https://seq.example\nVersion: 1\nChain ID: 1\nNonce: abcdef0123\nIssued At: yesterday", "Issued At")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{address}\n\nURI: https://seq.example\nChain ID: 1\nVersion: 1\nNonce: abcdef0123\nIssued At: 2026-12-03T11:59:00Z", "order")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{address}\n\nVersion: 1\nURI: https://seq.example\nChain ID: 1\nNonce: abcdef0123\nIssued At: 2026-12-03T11:59:00Z", "precede \"URI: \"")]
    [InlineData("seq.example wants you to sign in with your Ethereum account:\n{address}\n\nURI: https://seq.example\nVersion: 1\nNonce: abcdef0123\nIssued At: 2026-12-03T11:59:00Z", "Chain ID")]
    public void Malformed_messages_are_refused_saying_what_is_wrong(string template, string problem)
    {
        var text = template.Replace("{address}", _wallet.ChecksumAddress, StringComparison.Ordinal).Replace("{lower}", _wallet.Address, StringComparison.Ordinal);

        Assert.False(SiweMessage.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }
}
