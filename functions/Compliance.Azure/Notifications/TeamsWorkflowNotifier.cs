using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
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
/// a card is never posted twice. A 202 Accepted (what a Workflows trigger answers once it has queued
/// its run) is recorded as accepted, not sent. The webhook URL is a secret and never appears in a
/// message or log, and no response body is read into one (a gateway page may echo the URL).
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

        var card = TeamsCard.Build(alert);
        var payload = TeamsCard.Serialize(card);
        var cut = CutNote(alert, card);
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
                var status = StatusText(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    // A Workflows trigger answers 202 as soon as it has queued the run; the card is posted later, or not.
                    return NotificationDelivery.Accepted($"accepted by the Teams workflow at {webhook.Host} ({status}) on attempt {attempt}, {payload.Length} bytes{cut}; the workflow posts it later — add a Response step to the flow to learn whether it did");
                }

                if (response.IsSuccessStatusCode)
                {
                    return NotificationDelivery.Sent($"posted to the Teams workflow at {webhook.Host} ({status}) on attempt {attempt}, {payload.Length} bytes{cut}");
                }

                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    // The body is never read into the record: a proxy or gateway page may echo the request URL and its signature.
                    var code = await ErrorCodeAsync(response, cancellationToken);
                    return NotificationDelivery.Failed(SecretRedactor.Redact($"The Teams workflow at {webhook.Host} answered {status}{(code is null ? string.Empty : $" (error code {code})")}{Hint(response.StatusCode)}", url));
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

    /// <summary>"404 Not Found": the standard phrase for the status, never the reason phrase the server sent (which it may fill with the URL).</summary>
    private static string StatusText(HttpStatusCode code) =>
        $"{(int)code} {new HttpResponseMessage(code).ReasonPhrase ?? "Unknown"}";

    private static string Hint(HttpStatusCode code) => code switch
    {
        HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            ": the workflow's URL is wrong, expired or was regenerated — copy its 'HTTP POST URL' into the webhook secret again",
        HttpStatusCode.RequestEntityTooLarge => ": the card is too large for Teams",
        HttpStatusCode.BadRequest => ": the workflow did not accept the card",
        _ => string.Empty,
    };

    /// <summary>The error code of a Workflows error body ({"error":{"code":"…"}}), when it is a plain identifier; nothing else of the body is kept (it may echo the request).</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return Collectors.Http.ErrorBody.PlainCode(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return null;
        }
    }

    private static string CutNote(RunAlert alert, JsonObject card)
    {
        var shown = card["attachments"]![0]!["content"]!["body"]!.AsArray().Count(b => b?["type"]?.GetValue<string>() == "Container");
        return shown < alert.Top.Count ? $" (cut to fit Teams' size limit: {shown} of {alert.Top.Count} top findings shown)" : string.Empty;
    }
}
