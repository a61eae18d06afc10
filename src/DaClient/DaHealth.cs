namespace DaClient;

/// <summary>Result of <see cref="IDaClient.CheckHealthAsync"/>.</summary>
public sealed record DaHealth(bool IsHealthy, string Detail)
{
    public static DaHealth Healthy(string detail = "ok") => new(true, detail);

    public static DaHealth Unhealthy(string detail) => new(false, detail);
}
