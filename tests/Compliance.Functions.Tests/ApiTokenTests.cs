using Compliance.Functions.Http;
using Compliance.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// Entra ID bearer tokens for the HTTP API, against a loopback token issuer (OpenID metadata and keys
/// on 127.0.0.1, tokens signed with a test key): the role decides, and a token for another audience,
/// expired, or not signed by the issuer's key is refused.
/// </summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);
    private FakeTokenIssuer _issuer = null!;
    private ApiTokenValidator _validator = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync();
        _validator = Validator(new ApiTokenOptions { Authority = _issuer.Authority, Audiences = [FakeTokenIssuer.ApiClientId, FakeTokenIssuer.ApiAppIdUri] });
    }

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task A_valid_token_with_the_role_is_allowed()
    {
        var result = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead]), ApiTokenOptions.FindingsRead);

        Assert.True(result.Allowed, result.Message);
        Assert.Contains("4b3a2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0", result.Caller, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_token_without_the_role_is_forbidden_and_names_the_role()
    {
        var result = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead]), ApiTokenOptions.EvidenceRead);

        Assert.Equal((403, "insufficient_scope"), (result.Status, result.Error));
        Assert.Contains("'Evidence.Read'", result.Message, StringComparison.Ordinal);
        Assert.Equal(403, (await AuthorizeAsync(_issuer.Token(Now, []), ApiTokenOptions.FindingsRead)).Status);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var result = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead], audience: "https://management.azure.com"), ApiTokenOptions.FindingsRead);

        Assert.Equal((401, "invalid_token"), (result.Status, result.Error));
        Assert.Contains("another audience", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_refused_past_the_clock_skew_but_not_within_it()
    {
        var expired = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead], lifetime: TimeSpan.FromMinutes(-6)), ApiTokenOptions.FindingsRead);
        Assert.Equal((401, "invalid_token"), (expired.Status, expired.Error));
        Assert.Contains("expired at 2026-11-27 09:24:00Z", expired.Message, StringComparison.Ordinal);

        var withinSkew = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead], lifetime: TimeSpan.FromMinutes(-4)), ApiTokenOptions.FindingsRead);
        Assert.True(withinSkew.Allowed, withinSkew.Message);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_even_under_the_issuers_key_id()
    {
        var forged = FakeTokenIssuer.NewKey("test-key-1");
        var result = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead, ApiTokenOptions.EvidenceRead], signWith: forged), ApiTokenOptions.FindingsRead);

        Assert.Equal((401, "invalid_token"), (result.Status, result.Error));
        Assert.Contains("signature", result.Message, StringComparison.Ordinal);

        var otherKid = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead], signWith: FakeTokenIssuer.NewKey("unknown-key")), ApiTokenOptions.FindingsRead);
        Assert.Equal(401, otherKid.Status);
    }

    [Fact]
    public async Task A_token_of_another_issuer_or_no_token_is_refused()
    {
        var otherTenant = await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead], issuer: "https://login.microsoftonline.com/0f0e0d0c-0b0a-4909-8807-060504030201/v2.0"), ApiTokenOptions.FindingsRead);
        Assert.Equal(401, otherTenant.Status);
        Assert.Contains("another issuer", otherTenant.Message, StringComparison.Ordinal);

        var none = await _validator.AuthorizeAsync(HttpCalls.Get("/api/entra/runs"), ApiTokenOptions.FindingsRead, CancellationToken.None);
        Assert.Equal((401, null), (none.Status, none.Error));
        var garbage = await AuthorizeAsync("not-a-jwt", ApiTokenOptions.FindingsRead);
        Assert.Equal(401, garbage.Status);
    }

    [Fact]
    public async Task The_metadata_is_read_once_and_kept()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AuthorizeAsync(_issuer.Token(Now, [ApiTokenOptions.FindingsRead]), ApiTokenOptions.FindingsRead)).Allowed);
        }

        Assert.Equal(1, _issuer.MetadataReads);
    }

    [Fact]
    public async Task The_Entra_routes_answer_with_the_role_refuse_without_it_and_say_when_tokens_are_not_enabled()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso(), s =>
        {
            s["Api:Entra:Authority"] = _issuer.Authority.AbsoluteUri;
            s["Api:Entra:Audiences:0"] = FakeTokenIssuer.ApiClientId;
        });
        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        var api = host.Function<EntraRunsApi>();
        var now = host.Time.GetUtcNow();

        var reader = HttpCalls.Get("/api/entra/runs?limit=5");
        reader.Headers.Authorization = "Bearer " + _issuer.Token(now, [ApiTokenOptions.FindingsRead]);
        var runs = await HttpCalls.ExecuteAsync(reader, await api.ListRunsAsync(reader, CancellationToken.None));
        Assert.Equal(200, runs.Status);
        Assert.Equal(run.RunId, runs.Json["runs"]![0]!["runId"]!.GetValue<string>());
        Assert.Equal($"/api/entra/runs/{run.RunId}/findings", runs.Json["runs"]![0]!["links"]!["findings"]!.GetValue<string>());

        var evidence = HttpCalls.Get($"/api/entra/runs/{run.RunId}/evidence/findings.csv");
        evidence.Headers.Authorization = "Bearer " + _issuer.Token(now, [ApiTokenOptions.FindingsRead]);
        var refused = await HttpCalls.ExecuteAsync(evidence, await api.DownloadEvidenceAsync(evidence, run.RunId, "findings.csv", CancellationToken.None));
        Assert.Equal(403, refused.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", refused.Headers.WWWAuthenticate.ToString());
        Assert.Equal("Forbidden", refused.Json["error"]!["code"]!.GetValue<string>());

        var auditor = HttpCalls.Get($"/api/entra/runs/{run.RunId}/evidence/findings.csv");
        auditor.Headers.Authorization = "Bearer " + _issuer.Token(now, [ApiTokenOptions.EvidenceRead]);
        var csv = await HttpCalls.ExecuteAsync(auditor, await api.DownloadEvidenceAsync(auditor, run.RunId, "findings.csv", CancellationToken.None));
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("attachment; filename=findings.csv", csv.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);

        await using var plain = await FunctionsHarness.StartAsync(Contoso());
        var anonymous = HttpCalls.Get("/api/entra/runs");
        anonymous.Headers.Authorization = "Bearer " + _issuer.Token(now, [ApiTokenOptions.FindingsRead]);
        var disabled = await HttpCalls.ExecuteAsync(anonymous, await plain.Function<EntraRunsApi>().ListRunsAsync(anonymous, CancellationToken.None));
        Assert.Equal(404, disabled.Status);
        Assert.Contains("Api:Entra:Authority", disabled.Text, StringComparison.Ordinal);
    }

    private Task<ApiTokenResult> AuthorizeAsync(string token, string role)
    {
        var request = HttpCalls.Get("/api/entra/runs");
        request.Headers.Authorization = "Bearer " + token;
        return _validator.AuthorizeAsync(request, role, CancellationToken.None);
    }

    private static ApiTokenValidator Validator(ApiTokenOptions options)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(ApiTokenValidator.HttpClientName);
        var provider = services.BuildServiceProvider();
        return new ApiTokenValidator(Options.Create(options), provider.GetRequiredService<IHttpClientFactory>(), new FakeTimeProvider(Now), NullLogger<ApiTokenValidator>.Instance);
    }
}
