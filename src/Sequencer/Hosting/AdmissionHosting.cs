using Sequencer.Options;
using Admission.Options;
using Admission.Hosting;
using Admission.Operators;
using Sequencer.Rpc;
using Sequencer.Rpc.Modules;
using Sequencer.Submission;

namespace Sequencer.Hosting;

/// <summary>
/// Wires admission into the host: the Admission services (policy, limits, accounts, gates), the
/// sponsored RPC methods, the paid-lane limits (used by <see cref="TransactionSubmitter"/>), and the
/// operator API. Admission keeps its files in the sequencer's data directory unless told otherwise.
/// </summary>
internal static class AdmissionHosting
{
    public static IServiceCollection AddAdmissionHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAdmission(configuration);
        services.PostConfigure<AdmissionOptions>(admission =>
        {
            if (string.IsNullOrWhiteSpace(admission.DataDirectory))
            {
                admission.DataDirectory = configuration[SequencerOptions.Section + ":" + nameof(SequencerOptions.DataDirectory)] ?? "data";
            }

            // Sign-In with Ethereum messages must name this chain.
            admission.ChainId = configuration.GetValue<ulong?>(SequencerOptions.Section + ":" + nameof(SequencerOptions.ChainId)) ?? new SequencerOptions().ChainId;
        });
        services.AddSingleton<SponsoredSubmitter>();
        services.AddSingleton<Sequencing.ILaneSharesSource, PolicyLaneShares>();
        services.AddSingleton<IRpcModule, AdmissionRpcModule>();
        return services;
    }

    public static WebApplication MapAdmission(this WebApplication app)
    {
        app.MapAdmissionAdmin();
        return app;
    }
}
