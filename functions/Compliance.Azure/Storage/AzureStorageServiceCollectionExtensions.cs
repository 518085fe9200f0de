using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Compliance.Reporting.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Storage;

/// <summary>Composition of the cloud report store.</summary>
internal static class AzureStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AzureReportStore"/> as the <see cref="IReportStore"/> (call before
    /// <c>AddComplianceReporting()</c>, which otherwise registers the SQLite store) and the
    /// <see cref="EvidenceBlobStore"/>, with their options from "Store:Azure" validated at start-up.
    /// Without a connection string the service URIs are reached with the registered
    /// <see cref="TokenCredential"/> (the app's managed identity), else <see cref="DefaultAzureCredential"/>.
    /// </summary>
    internal static IServiceCollection AddComplianceAzureStorage(this IServiceCollection services)
    {
        services.AddOptions<AzureStorageOptions>()
            .BindConfiguration(AzureStorageOptions.Section)
            .Validate(o => o.ConnectionString is not null || (o.TableServiceUri is not null && o.BlobServiceUri is not null), "Store:Azure needs ConnectionString, or TableServiceUri and BlobServiceUri")
            .Validate(o => o.TablePrefix.Length > 0 && char.IsAsciiLetter(o.TablePrefix[0]) && o.TablePrefix.All(char.IsAsciiLetterOrDigit), "Store:Azure:TablePrefix must be letters and digits, starting with a letter")
            .Validate(o => o.EvidenceContainer.Length is >= 3 and <= 63 && o.EvidenceContainer.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'), "Store:Azure:EvidenceContainer must be a valid container name (3-63 lower-case letters, digits and '-')")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return o.ConnectionString is { } cs ? new TableServiceClient(cs) : new TableServiceClient(o.TableServiceUri, sp.GetService<TokenCredential>() ?? new DefaultAzureCredential());
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return o.ConnectionString is { } cs ? new BlobServiceClient(cs) : new BlobServiceClient(o.BlobServiceUri, sp.GetService<TokenCredential>() ?? new DefaultAzureCredential());
        });
        services.AddSingleton<AzureReportStore>();
        services.TryAddSingleton<EvidenceBlobStore>();
        services.Replace(ServiceDescriptor.Singleton<IReportStore>(sp => sp.GetRequiredService<AzureReportStore>()));
        return services;
    }
}
