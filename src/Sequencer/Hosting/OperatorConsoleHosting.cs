using Microsoft.Extensions.Options;
using Sequencer.OperatorConsole;

namespace Sequencer.Hosting;

/// <summary>Wires the operator console's server side: the sampled history of the last hour and its endpoint.</summary>
internal static class OperatorConsoleHosting
{
    public static IServiceCollection AddOperatorConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        services.AddSingleton(sp => new ConsoleHistory(sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.SampleSeconds));
        services.AddSingleton<ConfirmationListener>();
        services.AddHostedService<ConsoleSampler>();
        return services;
    }

    public static WebApplication MapOperatorConsole(this WebApplication app)
    {
        ConsoleHistoryEndpoint.Map(app);
        return app;
    }
}
