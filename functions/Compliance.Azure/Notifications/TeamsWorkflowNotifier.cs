using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Compliance.Azure.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Compliance.Reporting.Runs;

namespace Compliance.Azure.Notifications;

/// <summary>
/// Posts a run's card to a Teams Workflows webhook (Office 365 connectors are retired). The POST is
/// repeated only after 429 Too Many Requests — the one answer that says the card was not taken —
/// waiting as long as Retry-After says, a bounded number of times. Any other failure (a 5xx, a
/// timeout, a dropped connection) may have posted the card already, so it is reported, not retried:
/// a card is never posted twice. The webhook URL is a secret and never appears in a message or log.
/// </summary>
public sealed class TeamsWorkflowNotifier(
    IHttpClientFactory httpClients,
    ISecretSource secrets,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsWorkflowNotifier> logger) : IRunNotifier
{
    /// <summary>The named HttpClient: no resilience handler may be added to it (it would retry the POST blindly).</summary>
    public const string HttpClientName = "teams-workflows";

    public string Channel => "teams";

    public async Task<NotificationDelivery> SendAsync(RunAlert alert, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var secretName = settings.WebhookUrlSecret!;
        string url;
        try
        {
            url = (await secrets.GetSecretAsync(secretName, cancellationToken)).Trim();
        }
        catch (SecretUnavailableException ex)
        {
            return NotificationDelivery.Failed($"No Teams card was posted: {ex.Message}");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var webhook) || webhook.Scheme != Uri.UriSchemeHttps)
        {
            return NotificationDelivery.Failed($"No Teams card was posted: secret '{secretName}' in {secrets.Description} is not an https URL; store the workflow's 'HTTP POST URL' in it");
        }

        var payload = Encoding.UTF8.GetBytes(TeamsCard.Build(alert).ToJsonString());
        var client = httpClients.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            // A network timeout is wall-clock time, like the SDK clients' (the injected clock paces only the waits we choose).
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            linked.CancelAfter(settings.RequestTimeout);
            HttpResponseMessage response;
            TimeSpan wait;
            try
            {
                response = await client.SendAsync(request, linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return NotificationDelivery.Failed($"The Teams workflow at {webhook.Host} did not answer within {settings.RequestTimeout}; the card may or may not have been posted, so it is not sent again");
            }
            catch (HttpRequestException ex)
            {
                return NotificationDelivery.Failed($"The Teams workflow at {webhook.Host} could not be reached ({ex.HttpRequestError}); the card is not sent again");
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return NotificationDelivery.Sent($"posted to the Teams workflow at {webhook.Host} ({(int)response.StatusCode} {response.ReasonPhrase}) on attempt {attempt}");
                }

                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    var body = await ReadSnippetAsync(response, cancellationToken);
                    return NotificationDelivery.Failed($"The Teams workflow at {webhook.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body : string.Empty)}");
                }

                wait = RetryAfter(response) ?? settings.DefaultRetryAfter;
                if (attempt >= settings.MaxAttempts)
                {
                    return NotificationDelivery.Failed($"The Teams workflow at {webhook.Host} was still throttling (429 Too Many Requests) after {attempt} attempts");
                }

                if (wait > settings.MaxRetryAfter)
                {
                    return NotificationDelivery.Failed($"The Teams workflow at {webhook.Host} is throttling (429) and asked to wait {wait}, longer than Teams:MaxRetryAfter ({settings.MaxRetryAfter})");
                }

                logger.LogInformation("Teams throttled the card of run {RunId} (429); posting again in {Wait} (attempt {Attempt} of {MaxAttempts})", alert.Run.RunId, wait, attempt + 1, settings.MaxAttempts);
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return flat.Length <= 300 ? flat : flat[..300] + "…";
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
