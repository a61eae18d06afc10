namespace Admission.Web;

/// <summary>
/// The demo contract /app writes to (a guestbook, deployed by the host in Development on its execution node),
/// as the page sees it through GET /app/api/demo. Admission never deploys anything: the host publishes the
/// address here once the contract's code is on the node, or says why there is none.
/// </summary>
public sealed class AppDemo
{
    private volatile AppDemoState _state = new("off", null, null, "no demo contract on this host: it is deployed only in Development with an execution node");

    public AppDemoState State => _state;

    public void Off(string reason) => _state = new("off", null, null, reason);

    public void Deploying() => _state = new("deploying", null, null, "the guestbook is being deployed");

    /// <param name="guestbook">the contract address</param>
    /// <param name="selectors">the 4-byte selectors of write(string), count() and entry(uint256), hex</param>
    public void Ready(string guestbook, AppDemoSelectors selectors) => _state = new("ready", guestbook, selectors, "the guestbook is ready");

    public void Failed(string reason) => _state = new("unavailable", null, null, reason);
}

/// <summary>What GET /app/api/demo answers: state off / deploying / ready / unavailable.</summary>
public sealed record AppDemoState(string State, string? Guestbook, AppDemoSelectors? Selectors, string Message);

/// <summary>The guestbook's function selectors (0x + 8 hex digits), so the page encodes calls without a keccak of its own.</summary>
public sealed record AppDemoSelectors(string Write, string Count, string Entry, int MaxMessageBytes);
