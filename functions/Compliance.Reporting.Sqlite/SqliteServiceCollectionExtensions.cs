using Compliance.Reporting.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Sqlite;

/// <summary>Composition of the embedded store.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SqliteReportStore"/> as the <see cref="IReportStore"/>, with its options from "Store:Sqlite" validated at start-up.</summary>
    public static IServiceCollection AddComplianceSqliteStore(this IServiceCollection services)
    {
        services.AddOptions<SqliteStoreOptions>().BindConfiguration(SqliteStoreOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton<SqliteReportStore>();
        services.Replace(ServiceDescriptor.Singleton<IReportStore>(sp => sp.GetRequiredService<SqliteReportStore>()));
        return services;
    }
}
