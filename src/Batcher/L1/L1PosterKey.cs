using Batcher.Options;
using System.Security.Cryptography;
using Nethereum.Signer;
using Primitives.Secrets;

namespace Batcher.L1;

/// <summary>
/// The batcher's L1 key, from <c>Batcher:L1:PrivateKey</c> or <c>Batcher:L1:KeyFile</c> (relative to the
/// batcher's data directory). Checked when the host starts (see <c>Hosting/BatcherOptionsValidator</c>) and
/// loaded again when posting starts; a malformed key is reported by setting name, never by value.
/// </summary>
internal static class L1PosterKey
{
    private const string PrivateKeySetting = BatcherOptions.Section + ":L1:" + nameof(L1PostingOptions.PrivateKey);
    private const string KeyFileSetting = BatcherOptions.Section + ":L1:" + nameof(L1PostingOptions.KeyFile);

    /// <exception cref="SecretSettingException">Neither setting is given, or the key is malformed.</exception>
    public static EthECKey Load(L1PostingOptions options, string dataDirectory)
    {
        var secret = SecretSource.Load(options.PrivateKey, PrivateKeySetting, options.KeyFile, KeyFileSetting, SecretShape.PrivateKey, dataDirectory)
            ?? throw new SecretSettingException(KeyFileSetting, $"L1 posting needs {KeyFileSetting} (or {PrivateKeySetting})");
        try
        {
            return new EthECKey(secret, isPrivate: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
