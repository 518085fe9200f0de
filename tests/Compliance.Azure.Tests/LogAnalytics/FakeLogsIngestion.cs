using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.Tests.LogAnalytics;

/// <summary>
/// A data collection endpoint's Logs Ingestion API on loopback, as the REST reference describes it:
/// POST /dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01 with a bearer token and
/// a JSON array (here gzip-encoded), 204 No Content when taken, 413 over 1 MB uncompressed. Scripted
/// answers (429 with Retry-After, 403…) come first.
/// </summary>
internal sealed class FakeLogsIngestion : IAsyncDisposable
{
    public const string RuleId = "dcr-00000000000000000000000000000001";
    public const string Stream = "Custom-ComplianceFindings_CL";

    private readonly WebApplication _app;

    private FakeLogsIngestion(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<(int Status, string? RetryAfter, string? Body)> Script { get; } = new();

    /// <summary>Every call: its uncompressed size and how it was answered.</summary>
    public ConcurrentQueue<(int Bytes, int Status)> Calls { get; } = new();

    public ConcurrentQueue<JsonObject> Rows { get; } = new();

    /// <summary>The Authorization header of every call that reached the right rule and stream.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Bodies above this many bytes (uncompressed) are refused with 413.</summary>
    public int Limit { get; set; } = 1_000_000;

    public static async Task<FakeLogsIngestion> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeLogsIngestion? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        fake = new FakeLogsIngestion(app, port);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != "POST" || request.Path != $"/dataCollectionRules/{RuleId}/streams/{Stream}" || request.Query["api-version"] != "2023-01-01")
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("{\"error\":{\"code\":\"NotFound\",\"message\":\"no such rule or stream\"}}");
            return;
        }

        Authorizations.Enqueue(request.Headers.Authorization.ToString());
        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            return;
        }

        if (request.ContentType != "application/json")
        {
            context.Response.StatusCode = 415;
            return;
        }

        using var body = new MemoryStream();
        if (request.Headers.ContentEncoding == "gzip")
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(body);
        }
        else
        {
            await request.Body.CopyToAsync(body);
        }

        var bytes = (int)body.Length;
        if (Script.TryDequeue(out var scripted))
        {
            Calls.Enqueue((bytes, scripted.Status));
            context.Response.StatusCode = scripted.Status;
            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }

            if (scripted.Body is not null)
            {
                await context.Response.WriteAsync(scripted.Body);
            }

            return;
        }

        if (bytes > Limit)
        {
            Calls.Enqueue((bytes, 413));
            context.Response.StatusCode = 413;
            return;
        }

        foreach (var row in JsonNode.Parse(body.ToArray())!.AsArray())
        {
            Rows.Enqueue(row!.AsObject());
        }

        Calls.Enqueue((bytes, 204));
        context.Response.StatusCode = 204;
    }
}
