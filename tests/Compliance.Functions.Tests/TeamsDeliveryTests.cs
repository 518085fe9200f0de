using Compliance.Functions.Functions;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// A whole run through the functions (Azurite + loopback fakes) with the Teams workflow misbehaving
/// as real ones do: an outage of many subscriptions makes a card over Teams' size limit, and a
/// gateway answers 404 with a page that echoes the request URL (and so the webhook's signature).
/// </summary>
public sealed class TeamsDeliveryTests
{
    [Fact]
    public async Task An_outage_of_sixty_subscriptions_gives_a_card_cut_to_fit_that_is_posted_once()
    {
        var tenant = Contoso();
        for (var i = 0; i < 60; i++)
        {
            var id = $"5c2f9e41-7a3b-4d8e-9f10-{i:D12}";
            tenant.AddSubscription(id, $"Fabrikam Production Workloads {i:D2}");
            tenant.ForbiddenSubscriptions.Add(id);
        }

        await using var host = await FunctionsHarness.StartAsync(tenant);

        var run = await host.FireTimerAsync();
        Assert.Equal(64, run.Scopes.Count);
        await host.DrainQueueAsync();

        run = await host.RunAsync(run.RunId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(60, run.Scopes.Count(s => s.Status == ScopeStatus.Error));

        // The fake refuses a body over 28 KB with 413, as Teams does: the one POST fitted.
        var post = Assert.Single(host.Teams.Posts);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(post), 1, Azure.Notifications.TeamsCard.MaxPayloadBytes);
        var card = Assert.Single(host.Teams.Accepted).ToJsonString();
        Assert.Contains("more scope(s) not read completely", System.Text.Json.Nodes.JsonNode.Parse(card)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        var notification = Assert.Single(run.Notifications);
        Assert.Equal(NotificationStatus.Accepted, notification.Status);

        // A sweep afterwards posts nothing more.
        await host.Function<SweepRuns>().RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Single(host.Teams.Posts);
    }

    [Fact]
    public async Task A_gateway_page_echoing_the_webhook_URL_leaves_no_signature_in_the_run_the_logs_or_the_API()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        host.Teams.EchoPages.Enqueue((404, "Not Found {url}", "<html><body><h1>404 - Not Found</h1><p>No route matches POST {url}</p><p>{\"error\":{\"code\":\"x\",\"message\":\"{url}\"}}</p></body></html>"));

        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();

        run = await host.RunAsync(run.RunId);
        var notification = Assert.Single(run.Notifications);
        Assert.Equal(NotificationStatus.Failed, notification.Status);
        Assert.Contains("answered 404 Not Found", notification.Detail, StringComparison.Ordinal);
        Assert.Contains(FakeTeams.Host, notification.Detail, StringComparison.Ordinal);

        var request = HttpCalls.Get($"/api/runs/{run.RunId}");
        var answer = await HttpCalls.ExecuteAsync(request, await host.Function<RunsApi>().GetRunAsync(request, run.RunId, CancellationToken.None));
        Assert.Equal(200, answer.Status);
        Assert.Contains("answered 404 Not Found", answer.Text, StringComparison.Ordinal);

        foreach (var (where, text) in new[] { ("the run record", notification.Detail ?? string.Empty), ("the logs", host.Logs.AllText), ("GET /api/runs/{id}", answer.Text) })
        {
            Assert.False(text.Contains(FakeTeams.Signature, StringComparison.Ordinal), $"the signature is in {where}");
            Assert.False(text.Contains("sig=", StringComparison.OrdinalIgnoreCase), $"a sig= parameter is in {where}");
            Assert.False(text.Contains("No route matches", StringComparison.Ordinal), $"the response body is in {where}");
        }
    }
}
