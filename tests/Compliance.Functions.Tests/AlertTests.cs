using Compliance.Azure.Notifications;
using Compliance.Azure.Secrets;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>Posting to Teams: only a 429 is retried (after Retry-After, a bounded number of times); a failure is recorded, never fatal.</summary>
public sealed class AlertTests
{
    [Fact]
    public async Task A_server_error_is_not_retried_because_the_card_may_have_been_posted()
    {
        await using var teams = await FakeTeams.StartAsync();
        teams.Script.Enqueue((500, null));
        var (notifier, _, logs) = Notifier(teams);

        var delivery = await notifier.SendAsync(TeamsCardTests.Alert(), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(NotificationStatus.Failed, delivery.Status);
        Assert.Contains("answered 500 Internal Server Error", delivery.Detail, StringComparison.Ordinal);
        Assert.Single(teams.Posts);
        Assert.DoesNotContain(FakeTeams.Signature, delivery.Detail + logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_is_waited_out_as_Retry_After_says_and_given_up_when_it_asks_too_much()
    {
        await using var teams = await FakeTeams.StartAsync();
        teams.Script.Enqueue((429, "3"));
        teams.Script.Enqueue((429, null));
        var (notifier, time, _) = Notifier(teams);

        var delivery = await notifier.SendAsync(TeamsCardTests.Alert(), CancellationToken.None);

        Assert.True(delivery.Delivered, delivery.Detail);
        Assert.Equal(NotificationStatus.Accepted, delivery.Status);
        Assert.Contains("attempt 3", delivery.Detail, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(3), new TeamsOptions().DefaultRetryAfter], time.Waits);
        Assert.Single(teams.Accepted);

        teams.Script.Enqueue((429, "3600"));
        var tooLong = await notifier.SendAsync(TeamsCardTests.Alert(), CancellationToken.None);
        Assert.False(tooLong.Delivered);
        Assert.Contains("asked to wait 01:00:00", tooLong.Detail, StringComparison.Ordinal);

        for (var i = 0; i < 10; i++)
        {
            teams.Script.Enqueue((429, "1"));
        }

        var posts = teams.Posts.Count;
        var throttled = await notifier.SendAsync(TeamsCardTests.Alert(), CancellationToken.None);
        Assert.False(throttled.Delivered);
        Assert.Contains($"after {new TeamsOptions().MaxAttempts} attempts", throttled.Detail, StringComparison.Ordinal);
        Assert.Equal(new TeamsOptions().MaxAttempts, teams.Posts.Count - posts);
    }

    [Fact]
    public async Task A_missing_webhook_secret_or_a_failing_Teams_is_recorded_on_the_run_which_still_completes_with_its_evidence()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        host.Vault.Secrets.TryRemove("teams-webhook-url", out _);

        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();

        run = await host.RunAsync(run.RunId);
        Assert.Equal(RunStatus.Completed, run.Status);
        var notification = Assert.Single(run.Notifications);
        Assert.Equal(NotificationStatus.Failed, notification.Status);
        Assert.Contains(FakeKeyVault.VaultUri, notification.Detail, StringComparison.Ordinal);
        Assert.Contains("'teams-webhook-url'", notification.Detail, StringComparison.Ordinal);
        Assert.Empty(host.Teams.Posts);
        Assert.True(await host.Services.GetRequiredService<Compliance.Azure.Storage.EvidenceBlobStore>().ExistsAsync(run.RunId, CancellationToken.None));
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("'teams-webhook-url'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_workflow_that_answers_202_has_accepted_the_card_and_one_that_answers_200_has_posted_it()
    {
        await using var teams = await FakeTeams.StartAsync();
        var (notifier, _, _) = Notifier(teams);

        var accepted = await notifier.SendAsync(TeamsCardTests.Alert(), CancellationToken.None);
        Assert.Equal(NotificationStatus.Accepted, accepted.Status);
        Assert.Contains("202 Accepted", accepted.Detail, StringComparison.Ordinal);
        Assert.Contains("Response step", accepted.Detail, StringComparison.Ordinal);

        // A flow with a Response step answers what that step says (200 once the post step ran).
        teams.SuccessStatus = 200;
        var posted = await notifier.SendAsync(TeamsCardTests.Alert(), CancellationToken.None);
        Assert.Equal(NotificationStatus.Sent, posted.Status);
        Assert.Contains("200 OK", posted.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_over_the_size_limit_is_cut_and_posted_once()
    {
        await using var teams = await FakeTeams.StartAsync();
        var (notifier, _, _) = Notifier(teams);

        var delivery = await notifier.SendAsync(TeamsCardTests.LargeAlert(findings: 20, unreadScopes: 60), CancellationToken.None);

        Assert.True(delivery.Delivered, delivery.Detail);
        var post = Assert.Single(teams.Posts);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(post), 1, TeamsCard.MaxPayloadBytes);
        Assert.Contains("cut to fit Teams' size limit", delivery.Detail, StringComparison.Ordinal);
    }

    private static (TeamsWorkflowNotifier Notifier, InstantTimeProvider Time, CollectingLoggerProvider Logs) Notifier(FakeTeams teams)
    {
        var logs = new CollectingLoggerProvider();
        var time = new InstantTimeProvider(FunctionsHarness.Start);
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddHttpClient(TeamsWorkflowNotifier.HttpClientName).ConfigurePrimaryHttpMessageHandler(teams.CreateHandler).RemoveAllLoggers();
        var provider = services.BuildServiceProvider();
        var secrets = new ConfigurationSecretSource(Options.Create(new SecretOptions { Local = { ["teams-webhook-url"] = FakeTeams.WebhookUrl } }));
        var notifier = new TeamsWorkflowNotifier(provider.GetRequiredService<IHttpClientFactory>(), secrets, Options.Create(new TeamsOptions()), time, provider.GetRequiredService<ILogger<TeamsWorkflowNotifier>>());
        return (notifier, time, logs);
    }
}
