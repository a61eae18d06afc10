using Admission.Web;
using Sequencer.Demo;
using Sequencer.Execution;

namespace Sequencer.Hosting;

/// <summary>
/// The /app demo (docs/admission.md, "The app page"): in Development with an execution node the host deploys the
/// guestbook the page writes to; <c>Sequencer:Demo:Guestbook=false</c> turns that off. Elsewhere the page's
/// demo endpoint says why there is none.
/// </summary>
internal static class DemoHosting
{
    public const string Setting = "Sequencer:Demo:Guestbook";

    /// <summary>After AddExecution, which settles Kind=auto into anvil or none.</summary>
    public static IServiceCollection AddAppDemo(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var demo = new AppDemo();
        services.AddSingleton(demo);
        var kind = configuration[ExecutionOptions.Section + ":Kind"];
        if (!environment.IsDevelopment())
        {
            demo.Off("no demo guestbook: the host deploys it only in the Development environment");
        }
        else if (string.IsNullOrWhiteSpace(kind) || kind.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            demo.Off("no demo guestbook: it needs an execution node (Sequencer:Execution:Kind=auto starts anvil when one is installed)");
        }
        else if (!configuration.GetValue(Setting, true))
        {
            demo.Off($"no demo guestbook: {Setting} is false");
        }
        else
        {
            services.AddHostedService<GuestbookDeployer>();
        }

        return services;
    }
}
