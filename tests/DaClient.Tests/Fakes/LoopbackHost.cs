using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using TestInfrastructure.Processes;

namespace DaClient.Tests.Fakes;

/// <summary>Starts a Kestrel app on a free loopback port, retrying when the port was taken meanwhile.</summary>
internal static class LoopbackHost
{
    public static async Task<(WebApplication App, int Port)> StartAsync(HttpProtocols protocols, Action<WebApplicationBuilder> configureServices, Action<WebApplication> configureApp)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
                k.Listen(IPAddress.Loopback, port, o => o.Protocols = protocols);
            });
            configureServices(builder);
            var app = builder.Build();
            app.UseDeveloperExceptionPage();
            configureApp(app);
            try
            {
                await app.StartAsync();
                return (app, port);
            }
            catch (IOException) when (attempt < 5)
            {
                await app.DisposeAsync();
            }
        }
    }
}
