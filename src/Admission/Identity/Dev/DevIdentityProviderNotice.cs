using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Admission.Identity.Dev;

/// <summary>Says loudly at start that the dev provider (anyone can be anyone) is on.</summary>
internal sealed class DevIdentityProviderNotice(ILogger<DevIdentityProvider> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        IdentityLog.DevProviderOn(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
