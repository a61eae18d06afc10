using System.Text;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Infrastructure;

/// <summary>JSON-RPC calls made as a test identity (the <see cref="HeaderIdentityAuthenticator"/> header), for hosts that use that authenticator.</summary>
public static class TestIdentityRpc
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Calls a method as <paramref name="identity"/> ("provider|subject|claims"), or anonymously when null.</summary>
    public static async Task<RpcResponse> CallAsAsync(Uri rpcUrl, string? identity, string method, params object?[] parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, rpcUrl);
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters });
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (identity is not null)
        {
            request.Headers.Add(HeaderIdentityAuthenticator.Header, identity);
        }

        using var response = await Http.SendAsync(request);
        return RpcResponse.Parse(await response.Content.ReadAsStringAsync());
    }
}
