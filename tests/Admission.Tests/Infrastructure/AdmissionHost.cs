using System.Net.Http.Headers;
using Admission.Hosting;
using Admission.Identity;
using Admission.Operators;
using TestInfrastructure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Admission.Tests.Infrastructure;

/// <summary>A minimal ASP.NET Core host with admission and its operator API on a free loopback port.</summary>
public sealed class AdmissionHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789-abcdefghijklmnop";

    /// <summary>A test-only master secret (the host runs as Production, where none is generated).</summary>
    public const string TestMasterSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private readonly WebApplication _app;

    private AdmissionHost(WebApplication app, HttpClient client, string dataDirectory)
    {
        _app = app;
        Client = client;
        DataDirectory = dataDirectory;
    }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AdmissionHost> StartAsync(string? policyJson = null, IDictionary<string, string?>? settings = null, string? dataDirectory = null,
        Action<IServiceCollection>? configureServices = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "adm-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var config = new Dictionary<string, string?>
        {
            ["Admission:DataDirectory"] = dataDirectory,
            ["Admission:MasterSecret"] = TestMasterSecret,
            ["Admission:AdminApiKey"] = AdminKey,
        };
        if (policyJson is not null)
        {
            var file = Path.Combine(dataDirectory, "policy-" + Guid.NewGuid().ToString("N") + ".json");
            await File.WriteAllTextAsync(file, policyJson);
            config["Admission:PolicyFile"] = file;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(config);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddAdmission(builder.Configuration);
        builder.Services.AddSingleton<IIdentityAuthenticator, HeaderIdentityAuthenticator>();
        var app = builder.Build();
        app.MapAdmissionAdmin();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new AdmissionHost(app, client, dataDirectory);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? json = null, bool key = true, string? identity = null)
    {
        var request = new HttpRequestMessage(method, AdminEndpoints.Prefix + path);
        if (key)
        {
            request.Headers.Add(OperatorAuthorization.KeyHeader, AdminKey);
        }

        if (identity is not null)
        {
            request.Headers.Add(HeaderIdentityAuthenticator.Header, identity);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null, bool key = true, string? identity = null)
    {
        using var response = await Client.SendAsync(Request(method, path, json, key, identity));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
