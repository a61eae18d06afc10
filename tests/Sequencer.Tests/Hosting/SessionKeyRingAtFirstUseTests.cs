using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sequencer.Hosting;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Hosting;

/// <summary>
/// The session key ring (Data Protection) is loaded at its first use, not by a hosted service before the host listens:
/// a start must not pay for file reads, XML and crypto set-up (or a round trip to Redis) that only a login needs
/// (docs/benchmarks.md, "Restart").
/// </summary>
public sealed class SessionKeyRingAtFirstUseTests
{
    [Fact]
    public async Task A_start_leaves_the_key_ring_alone_and_the_first_use_creates_it()
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-keyring-" + Guid.NewGuid().ToString("N"));
        var keys = Path.Combine(data, "data-protection-keys");
        try
        {
            await using (var app = SequencerApp.Build(["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings, "--Logging:LogLevel:Default=None"]))
            {
                await app.StartAsync();

                Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), service => service.GetType().FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
                Assert.False(Directory.Exists(keys), "the key ring was loaded or created at start");

                var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("first use");
                Assert.Equal("payload", protector.Unprotect(protector.Protect("payload")));
                Assert.Single(Directory.GetFiles(keys, "key-*.xml"));
                await app.StopAsync();
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
