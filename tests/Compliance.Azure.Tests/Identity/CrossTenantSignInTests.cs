using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Compliance.Azure.Collectors;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.Collectors.Identity;
using Compliance.Azure.Tests.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.Tests.Identity;

/// <summary>
/// Scanning a tenant means signing in to it: a token for any other tenant is refused (a managed
/// identity only has its home tenant's), and the documented cross-tenant path — the managed
/// identity's token as the client assertion of a multitenant app — signs in to the tenant scanned.
/// </summary>
public sealed class CrossTenantSignInTests
{
    private const string Home = "a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";
    private const string Scanned = "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f";
    private const string AppId = "2d4e6f80-1b3c-4d5e-8f90-a1b2c3d4e5f6";

    [Fact]
    public async Task A_token_for_another_tenant_is_refused_naming_both_tenants_and_the_fix()
    {
        var credential = new TenantCheckedCredential(new TestTokens.Credential(Home), Scanned);

        var ex = await Assert.ThrowsAsync<WrongTenantException>(() => credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), CancellationToken.None).AsTask());

        Assert.Contains(Home, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Scanned, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'federated'", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<AuthenticationFailedException>(ex);
    }

    [Fact]
    public async Task A_token_for_the_scanned_tenant_passes_and_so_does_one_that_is_not_a_JWT()
    {
        var right = await new TenantCheckedCredential(new TestTokens.Credential(Scanned), Scanned.ToUpperInvariant()).GetTokenAsync(new TokenRequestContext(["x/.default"]), CancellationToken.None);
        Assert.Equal(Scanned, TenantCheckedCredential.TenantOf(right.Token));

        Assert.Null(TenantCheckedCredential.TenantOf("fake-token"));
        Assert.Null(TenantCheckedCredential.TenantOf("a.!!!.c"));
        var opaque = await new TenantCheckedCredential(new FakeCredential(), Scanned).GetTokenAsync(new TokenRequestContext(["x/.default"]), CancellationToken.None);
        Assert.Equal("fake-token", opaque.Token);
    }

    [Fact]
    public async Task The_collector_will_not_start_in_a_tenant_it_could_not_sign_in_to()
    {
        await using var harness = await CollectorHarness.StartAsync(TestTenants.Contoso(), services =>
            services.AddSingleton<TokenCredential>(new TenantCheckedCredential(new TestTokens.Credential(Home), Scanned)));

        var ex = await Assert.ThrowsAsync<CollectorConfigurationException>(() => harness.Collector.VerifySignInAsync(CancellationToken.None));

        Assert.StartsWith("Not signed in to the tenant to scan: the scanner's identity signed in to tenant " + Home, ex.Message, StringComparison.Ordinal);
        Assert.Contains("README, 'Scanning another tenant'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configured_credential_is_checked_against_the_configured_tenant()
    {
        var options = new AzureConnectionOptions { TenantId = Scanned, Credential = "managedidentity", ManagedIdentityClientId = "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b" };
        Assert.IsType<TenantCheckedCredential>(CredentialFactory.Create(options, AzureCloud.Public));

        // Federated: the app's own credential is its managed identity (storage and vault are in its home
        // tenant); the scan signs in to the other tenant, checked against it.
        var federated = new AzureConnectionOptions { TenantId = Scanned, Credential = "federated", ClientId = AppId };
        var own = CredentialFactory.Create(federated, AzureCloud.Public);
        Assert.IsType<ManagedIdentityCredential>(own);
        Assert.IsType<TenantCheckedCredential>(CredentialFactory.CreateScan(federated, AzureCloud.Public, own));
        Assert.Same(own, CredentialFactory.CreateScan(options, AzureCloud.Public, own));
        var missing = Assert.Throws<CollectorConfigurationException>(() => CredentialFactory.CreateScan(new AzureConnectionOptions { TenantId = Scanned, Credential = "federated" }, AzureCloud.Public, own));
        Assert.Contains("Collectors:Azure:ClientId", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public", "https://login.microsoftonline.com/", "api://AzureADTokenExchange/.default")]
    [InlineData("usgov", "https://login.microsoftonline.us/", "api://AzureADTokenExchangeUSGov/.default")]
    [InlineData("china", "https://login.chinacloudapi.cn/", "api://AzureADTokenExchangeChina/.default")]
    public async Task The_managed_identity_token_for_the_token_exchange_audience_signs_the_app_in_to_the_scanned_tenant(string cloudName, string authority, string exchangeScope)
    {
        Assert.True(AzureCloud.TryParse(cloudName, out var cloud));
        var requests = new ConcurrentQueue<(string Host, string Path, Dictionary<string, string> Form)>();
        await using var entra = await StartTokenEndpointAsync(requests);
        var managedIdentity = new TestTokens.Credential(Home);
        var options = new ClientAssertionCredentialOptions { Transport = new HttpClientTransport(new HttpClient(new LoopbackRouter(entra.Port))), Retry = { MaxRetries = 0 } };
        var credential = new TenantCheckedCredential(CredentialFactory.CreateFederated(Scanned, AppId, managedIdentity, cloud, options), Scanned);

        var token = await credential.GetTokenAsync(new TokenRequestContext([cloud.ResourceManagerScope]), CancellationToken.None);

        Assert.Equal(Scanned, TenantCheckedCredential.TenantOf(token.Token));
        Assert.Equal([exchangeScope], managedIdentity.Scopes);
        var post = Assert.Single(requests, r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Equal(new Uri(authority).Host, post.Host);
        Assert.Equal($"/{Scanned}/oauth2/v2.0/token", post.Path);
        Assert.Equal("client_credentials", post.Form["grant_type"]);
        Assert.Equal(AppId, post.Form["client_id"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", post.Form["client_assertion_type"]);
        Assert.Equal(TestTokens.For(Home), post.Form["client_assertion"]);
        Assert.Equal(cloud.ResourceManagerScope, post.Form["scope"]);
    }

    /// <summary>The Microsoft identity platform's token endpoint on loopback: answers a client-credentials request with a token issued in the tenant of its path.</summary>
    private static async Task<TokenEndpoint> StartTokenEndpointAsync(ConcurrentQueue<(string Host, string Path, Dictionary<string, string> Form)> requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            var form = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString()) : [];
            requests.Enqueue((context.Request.Host.Host, context.Request.Path.Value ?? string.Empty, form));
            var segments = (context.Request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
            context.Response.ContentType = "application/json";
            if (segments is [var tenant, "oauth2", "v2.0", "token"])
            {
                await context.Response.WriteAsync($"{{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"{TestTokens.For(tenant)}\"}}");
                return;
            }

            // Instance discovery, should the library ask: the documented shape for a known host.
            var host = context.Request.Host.Host;
            await context.Response.WriteAsync($"{{\"tenant_discovery_endpoint\":\"https://{host}/common/v2.0/.well-known/openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{{\"preferred_network\":\"{host}\",\"preferred_cache\":\"{host}\",\"aliases\":[\"{host}\"]}}]}}");
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new TokenEndpoint(app, port);
    }

    private sealed record TokenEndpoint(WebApplication App, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
