using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Compliance.Azure.Secrets;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Functions.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>Secrets from Key Vault (the loopback fake, through the real SecretClient): cached, refreshed, and errors that name the vault and the secret.</summary>
public sealed class KeyVaultSecretTests
{
    [Fact]
    public async Task A_secret_is_read_once_then_again_after_the_refresh_interval_and_a_failed_refresh_keeps_the_old_value()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        vault.Secrets["teams-webhook-url"] = "https://example.invalid/hook-1";
        var time = new FakeTimeProvider(FunctionsHarness.Start);
        var logs = new CollectingLoggerProvider();
        var source = Source(vault, time, logs);

        Assert.Equal("https://example.invalid/hook-1", await source.GetSecretAsync("teams-webhook-url", CancellationToken.None));
        Assert.Equal("https://example.invalid/hook-1", await source.GetSecretAsync("teams-webhook-url", CancellationToken.None));
        Assert.Equal(1, vault.Reads["teams-webhook-url"]);

        vault.Secrets["teams-webhook-url"] = "https://example.invalid/hook-2";
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("https://example.invalid/hook-2", await source.GetSecretAsync("teams-webhook-url", CancellationToken.None));
        Assert.Equal(2, vault.Reads["teams-webhook-url"]);

        vault.Deny = true;
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("https://example.invalid/hook-2", await source.GetSecretAsync("teams-webhook-url", CancellationToken.None));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("denied", StringComparison.Ordinal));
        Assert.DoesNotContain("hook-2", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secret_or_a_denied_vault_names_the_vault_and_the_secret_and_what_to_do()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var source = Source(vault, new FakeTimeProvider(FunctionsHarness.Start), new CollectingLoggerProvider());

        var missing = await Assert.ThrowsAsync<SecretUnavailableException>(() => source.GetSecretAsync("evidence-signing-key", CancellationToken.None));
        Assert.Contains(FakeKeyVault.VaultUri, missing.Message, StringComparison.Ordinal);
        Assert.Contains("'evidence-signing-key'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("404", missing.Message, StringComparison.Ordinal);

        vault.Deny = true;
        var denied = await Assert.ThrowsAsync<SecretUnavailableException>(() => source.GetSecretAsync("teams-webhook-url", CancellationToken.None));
        Assert.Contains(FakeKeyVault.VaultUri, denied.Message, StringComparison.Ordinal);
        Assert.Contains("'teams-webhook-url'", denied.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secrets User", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_start_up_an_unreadable_secret_is_logged_as_an_error_naming_the_vault_and_the_secret()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        host.Vault.Secrets.TryRemove("evidence-signing-key", out _);

        await host.StartHostAsync();

        var error = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(FakeKeyVault.VaultUri, error.Message, StringComparison.Ordinal);
        Assert.Contains("'evidence-signing-key'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionsHarness.SigningKeyText, host.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTeams.Signature, host.Logs.AllText, StringComparison.Ordinal);
    }

    private static KeyVaultSecretSource Source(FakeKeyVault vault, TimeProvider time, CollectingLoggerProvider logs)
    {
        var client = new SecretClient(new Uri(FakeKeyVault.VaultUri), new FakeCredential(), new SecretClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(vault.CreateHandler())),
            Retry = { MaxRetries = 0 },
        });
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return new KeyVaultSecretSource(client, Options.Create(new SecretOptions { VaultUri = new Uri(FakeKeyVault.VaultUri) }), time, factory.CreateLogger<KeyVaultSecretSource>());
    }
}
