using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Sequencer.Transactions;

public static class TransactionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TransactionIntake"/> and <see cref="TransactionValidator"/> with options
    /// bound from the "Transactions" section and validated when the host starts.
    /// </summary>
    public static IServiceCollection AddTransactionIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransactionValidationOptions>()
            .Bind(configuration.GetSection(TransactionValidationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransactionValidationOptions>, TransactionValidationOptionsValidator>());
        services.TryAddSingleton<TransactionValidator>();
        services.TryAddSingleton<TransactionIntake>();
        return services;
    }
}
