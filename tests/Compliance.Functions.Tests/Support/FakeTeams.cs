using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.AspNetCore.Http;

namespace Compliance.Functions.Tests.Support;

/// <summary>
/// A Teams Workflows webhook on loopback: POSTs to the workflow's path are accepted (202) unless a
/// scripted answer (429 with Retry-After, 500…) is queued; every POST and every accepted card is kept.
/// </summary>
internal sealed class FakeTeams : IAsyncDisposable
{
    public const string Host = "prod-42.westeurope.logic.azure.com";
    public const string Path = "/workflows/5b0c9e2f/triggers/manual/paths/invoke";
    public const string Signature = "sig-Zm9vYmFyLXNlY3JldC1zaWduYXR1cmU";

    private readonly LoopbackServer _server;

    private FakeTeams(LoopbackServer server) => _server = server;

    /// <summary>The webhook URL, as it is kept in Key Vault (its signature is the secret part).</summary>
    public static string WebhookUrl => $"https://{Host}{Path}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={Signature}";

    /// <summary>Answers to give before accepting: (status, Retry-After header or null).</summary>
    public ConcurrentQueue<(int Status, string? RetryAfter)> Script { get; } = new();

    /// <summary>
    /// Pages to answer with before accepting, as a gateway or proxy would: (status, reason phrase, body);
    /// "{url}" in the reason or the body is replaced by the request's full URL, signature included.
    /// </summary>
    public ConcurrentQueue<(int Status, string Reason, string Body)> EchoPages { get; } = new();

    /// <summary>What an accepted POST answers: 202 as a Workflows trigger does, 200 for a flow with a Response step.</summary>
    public int SuccessStatus { get; set; } = 202;

    public ConcurrentQueue<string> Posts { get; } = new();

    public ConcurrentQueue<JsonObject> Accepted { get; } = new();

    public static async Task<FakeTeams> StartAsync()
    {
        FakeTeams? teams = null;
        var server = await LoopbackServer.StartAsync(context => teams!.HandleAsync(context));
        teams = new FakeTeams(server);
        return teams;
    }

    public HttpMessageHandler CreateHandler() => new LoopbackRouter(_server.Port);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Posts.Enqueue(body);
        if (context.Request.Method != "POST" || context.Request.Path != Path || context.Request.Query["sig"] != Signature)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("{\"error\":{\"code\":\"DirectApiAuthorizationRequired\",\"message\":\"The request must be authenticated.\"}}");
            return;
        }

        if (EchoPages.TryDequeue(out var page))
        {
            var url = $"https://{Host}{context.Request.Path}{context.Request.QueryString}";
            context.Response.StatusCode = page.Status;
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = page.Reason.Replace("{url}", url, StringComparison.Ordinal);
            await context.Response.WriteAsync(page.Body.Replace("{url}", url, StringComparison.Ordinal));
            return;
        }

        // Teams refuses a message over 28 KB (Microsoft Learn, "Create Incoming Webhooks").
        if (Encoding.UTF8.GetByteCount(body) > 28 * 1024)
        {
            context.Response.StatusCode = 413;
            return;
        }

        if (Script.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = scripted.Status;
            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }

            await context.Response.WriteAsync("{\"error\":{\"code\":\"WorkflowRequestsThrottled\",\"message\":\"Rate limit is exceeded.\"}}");
            return;
        }

        Accepted.Enqueue(JsonNode.Parse(body)!.AsObject());
        context.Response.StatusCode = SuccessStatus;
    }
}
