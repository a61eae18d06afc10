using System.Security.Cryptography;

namespace Admission.People;

/// <summary>Names of persons, of wallet identities and of the store's keys.</summary>
internal static class PersonKeys
{
    /// <summary>The provider name of a wallet identity (<c>wallet:0x…</c>, lower-case hex); no login provider may use it.</summary>
    public const string WalletProvider = "wallet";

    /// <summary>Persons are named "person:" + 16 random hex digits: they are no login, so no provider may be called "person" either.</summary>
    public const string PersonPrefix = "person:";

    /// <summary>The most logins and wallets one person may have (bounded, like everything kept per user).</summary>
    public const int MaxMembers = 16;

    public static string NewPerson() => PersonPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsPerson(string key) => key.StartsWith(PersonPrefix, StringComparison.Ordinal);

    public static string Wallet(Primitives.Address address) => WalletProvider + ":" + address.ToString().ToLowerInvariant();

    public static string Of(string identityKey) => "person:of:" + identityKey;

    public static string Members(string person) => "person:members:" + person;

    public static string Nonce(string nonce) => "siwe:nonce:" + nonce;
}
