using Secp256k1Net;

namespace Admission.Accounts;

/// <summary>
/// One Secp256k1.Net wrapper (one native libsecp256k1 context) per thread, freed when its thread ends.
/// The wrapper does not promise to be thread-safe, so threads do not share one. (The host has the same
/// holder for its own keys; Admission does not reference the host, hence this one.)
/// </summary>
internal static class NativeSecp256k1
{
    [ThreadStatic]
    private static Owner? t_owner;

    public static Secp256k1 Current => (t_owner ??= new Owner()).Context;

    private sealed class Owner
    {
        public readonly Secp256k1 Context = new();

        ~Owner() => Context.Dispose();
    }
}
