namespace Admission.Web;

/// <summary>
/// Endpoint metadata: the endpoint authenticates the calls that need an identity itself (the JSON-RPC endpoint asks
/// <see cref="Identity.IIdentityAuthenticator"/> per sponsored call), so the authentication middleware passes it by.
/// Without it every JSON-RPC POST, paid or not, ran the session cookie handler (and each remote login handler's
/// callback-path check): allocations and CPU on the write path for a result nothing reads (docs/benchmarks.md,
/// "What the tail trace found").
/// </summary>
public sealed class AuthenticatesPerCall
{
    public static readonly AuthenticatesPerCall Instance = new();

    private AuthenticatesPerCall()
    {
    }
}
