using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Compliance.Reporting.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Storage;

/// <summary>Composition of the cloud report store.</summary>
public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AzureReportStore"/> as the <see cref="IReportStore"/> (call before
    /// <c>AddComplianceReporting()</c>, which otherwise registers the SQLite store), with its options
    /// from "Store:Azure" validated at start-up.
    /// </summary>
    public static IServiceCollection AddComplianceAzureStorage(this IServiceCollection services)
    {
        services.AddOptions<AzureStorageOptions>()
            .BindConfiguration(AzureStorageOptions.Section)
            .Validate(o => o.ConnectionString is not null || (o.TableServiceUri is not null && o.BlobServiceUri is not null), "Store:Azure needs ConnectionString, or TableServiceUri and BlobServiceUri")
            .Validate(o => o.TablePrefix.Length > 0 && char.IsAsciiLetter(o.TablePrefix[0]) && o.TablePrefix.All(char.IsAsciiLetterOrDigit), "Store:Azure:TablePrefix must be letters and digits, starting with a letter")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return o.ConnectionString is { } cs ? new TableServiceClient(cs) : new TableServiceClient(o.TableServiceUri, new DefaultAzureCredential());
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return o.ConnectionString is { } cs ? new BlobServiceClient(cs) : new BlobServiceClient(o.BlobServiceUri, new DefaultAzureCredential());
        });
        services.AddSingleton<AzureReportStore>();
        services.Replace(ServiceDescriptor.Singleton<IReportStore>(sp => sp.GetRequiredService<AzureReportStore>()));
        return services;
    }
}
