using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Functions.Http;

/// <summary>Composition of the HTTP API's Entra ID token validation.</summary>
public static class ApiTokenServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ApiTokenValidator"/> with its options ("Api:Entra"), validated at start-up.</summary>
    public static IServiceCollection AddComplianceApiTokens(this IServiceCollection services)
    {
        services.AddOptions<ApiTokenOptions>()
            .BindConfiguration(ApiTokenOptions.Section)
            .Validate(o => !o.Enabled || (o.Metadata is { IsAbsoluteUri: true } m && (m.Scheme == Uri.UriSchemeHttps || m.IsLoopback)), "Api:Entra:Authority (or MetadataAddress) must be the https address of the token issuer, e.g. https://login.microsoftonline.com/{tenantId}/v2.0")
            .Validate(o => o.Audiences.All(a => !string.IsNullOrWhiteSpace(a)), "Api:Entra:Audiences must not hold empty values")
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromMinutes(10), "Api:Entra:ClockSkew must be between 00:00:00 and 00:10:00")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(ApiTokenValidator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton<ApiTokenValidator>();
        return services;
    }
}
