using Secp256k1Net;

namespace Primitives.Crypto;

/// <summary>
/// One Secp256k1.Net wrapper (one native libsecp256k1 context) per thread, shared by every signer
/// and recoverer in the process (<see cref="Secp256k1Signer"/>, <see cref="Secp256k1Recovery"/>),
/// so each thread holds one context, not one per key or per user.
/// </summary>
/// <remarks>
/// libsecp256k1 allows a context to be shared by calls that take it as const (sign, recover,
/// parse, serialize), and the wrapper keeps no per-call state, so sharing would probably be
/// safe; but the wrapper does not promise it (its own thread-local instance is private), so each
/// thread gets its own. The wrapper has no finalizer, so the owner below frees the native
/// context when a thread ends and its thread-static reference goes away; otherwise every
/// retired thread-pool thread would leak one context.
/// </remarks>
internal static class Secp256k1PerThread
{
    [ThreadStatic]
    private static Owner? t_owner;

    public static Secp256k1 Current => (t_owner ??= new Owner()).Context;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Owned by one thread-static reference with no point of disposal: the finalizer frees the context when the thread is gone.")]
    private sealed class Owner
    {
        public readonly Secp256k1 Context = new();

        ~Owner() => Context.Dispose();
    }
}
