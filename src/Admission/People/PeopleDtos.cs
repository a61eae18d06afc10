namespace Admission.People;

/// <summary><c>POST /auth/link/wallet</c>: the EIP-4361 message the wallet signed and its signature (0x, 65 bytes).</summary>
internal sealed record LinkWalletRequest(string? Message, string? Signature);

/// <summary><c>POST /auth/siwe/nonce</c>, optional: with the address the reply carries the whole message to sign.</summary>
internal sealed record NonceRequest(string? Address);

/// <summary><c>POST /auth/link/login</c>: the provider to log in with next, and where to land after.</summary>
internal sealed record LoginLinkRequest(string? Provider, string? ReturnUrl);

/// <summary>Where to send the browser to log in with the second login.</summary>
internal sealed record LoginLinkReply(string LoginUrl);

/// <summary><c>POST /auth/unlink</c> and <c>POST /admin/api/unlink</c>.</summary>
internal sealed record UnlinkRequest(string? Identity);

/// <summary>A Sign-In with Ethereum nonce and the fields the message must carry; <see cref="Message"/> is the whole text when an address was given.</summary>
internal sealed record SiweNonceReply(string Nonce, string Domain, string Uri, ulong ChainId, string IssuedAt, string ExpirationTime, string? Message);
