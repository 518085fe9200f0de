using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Secrets;

namespace Compliance.Azure.LogAnalytics;

/// <summary>
/// Posts rows to a data collection rule's stream through the Logs Ingestion API (REST, as the Azure
/// SDK's Azure.Monitor.Ingestion does: POST {endpoint}/dataCollectionRules/{ruleId}/streams/{stream}
/// ?api-version=2023-01-01, a JSON array, gzip-encoded, a bearer token for Azure Monitor; 204 when
/// taken). Rows go in batches of at most <see cref="LogAnalyticsOptions.MaxBatchBytes"/> uncompressed;
/// a 429 or 5xx is retried after Retry-After a bounded number of times; a 413 splits the batch. A row
/// too large for any call is counted as failed, never silently dropped.
/// </summary>
public sealed class LogsIngestionClient
{
    private readonly HttpPipeline _pipeline;
    private readonly LogAnalyticsOptions _options;
    private readonly TimeProvider _time;

    public LogsIngestionClient(LogAnalyticsOptions options, TokenCredential credential, string scope, TimeProvider time, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        var clientOptions = new IngestionClientOptions();
        clientOptions.Retry.MaxRetries = 0; // retries are ours: paced by the injected clock, bounded by MaxAttempts
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        clientOptions.Diagnostics.ApplicationId = "compliance-scanner";
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        _pipeline = HttpPipelineBuilder.Build(clientOptions, [], [new BearerTokenAuthenticationPolicy(credential, scope)], new ResponseClassifier());
    }

    /// <summary>Uploads <paramref name="rows"/> (each one JSON object of the stream's columns) and says how it went.</summary>
    public async Task<LogsIngestionResult> UploadAsync(IAsyncEnumerable<JsonObject> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sent = 0;
        var failed = 0;
        var calls = 0;
        var problems = new List<string>();
        var batch = new List<byte[]>();
        var batchBytes = 2; // "[" and "]"

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var outcome = await SendAsync(batch, cancellationToken).ConfigureAwait(false);
            sent += outcome.Sent;
            failed += outcome.Failed;
            calls += outcome.Calls;
            if (outcome.Problem is { } problem && !problems.Contains(problem))
            {
                problems.Add(problem);
            }

            batch = [];
            batchBytes = 2;
        }

        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(row);
            if (bytes.Length + 2 > _options.MaxBatchBytes)
            {
                failed++;
                var problem = $"a row of {bytes.Length} bytes is larger than one call may carry ({_options.MaxBatchBytes} bytes) and was not sent";
                if (!problems.Contains(problem))
                {
                    problems.Add(problem);
                }

                continue;
            }

            if (batchBytes + bytes.Length + (batch.Count > 0 ? 1 : 0) > _options.MaxBatchBytes)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            batchBytes += bytes.Length + (batch.Count > 0 ? 1 : 0);
            batch.Add(bytes);
        }

        await FlushAsync().ConfigureAwait(false);
        var target = $"stream {_options.Stream} of rule {_options.RuleId} at {_options.Endpoint?.Host}";
        return problems.Count == 0
            ? new LogsIngestionResult(sent, 0, calls, $"{sent} row(s) sent to {target} in {calls} call(s)")
            : new LogsIngestionResult(sent, failed, calls, $"{sent} row(s) sent to {target}, {failed} not: {string.Join("; ", problems)}");
    }

    private async Task<(int Sent, int Failed, int Calls, string? Problem)> SendAsync(List<byte[]> rows, CancellationToken cancellationToken)
    {
        var body = Compress(rows);
        var calls = 0;
        for (var attempt = 1; ; attempt++)
        {
            using var message = _pipeline.CreateMessage();
            var request = message.Request;
            request.Method = RequestMethod.Post;
            request.Uri.Reset(_options.Endpoint!);
            request.Uri.AppendPath("/dataCollectionRules/", false);
            request.Uri.AppendPath(_options.RuleId!.Trim(), true);
            request.Uri.AppendPath("/streams/", false);
            request.Uri.AppendPath(_options.Stream, true);
            request.Uri.AppendQuery("api-version", _options.ApiVersion, true);
            request.Headers.Add("Content-Type", "application/json");
            request.Headers.Add("Content-Encoding", "gzip");
            request.Content = RequestContent.Create(body);
            calls++;
            try
            {
                await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 0)
            {
                if (attempt >= _options.MaxAttempts)
                {
                    return (0, rows.Count, calls, $"the data collection endpoint could not be reached ({SecretRedactor.Redact(ex.InnerException?.Message ?? ex.Message)})");
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var status = message.Response.Status;
            if (status is >= 200 and <= 299)
            {
                return (rows.Count, 0, calls, null);
            }

            if (status == 413 && rows.Count > 1)
            {
                // Too large after all (the service counts differently): halve and send each half.
                var half = rows.Count / 2;
                var first = await SendAsync(rows[..half], cancellationToken).ConfigureAwait(false);
                var second = await SendAsync(rows[half..], cancellationToken).ConfigureAwait(false);
                return (first.Sent + second.Sent, first.Failed + second.Failed, calls + first.Calls + second.Calls, first.Problem ?? second.Problem);
            }

            var retryable = status is 408 or 429 or >= 500;
            var wait = RetryAfter(message.Response) ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
            if (!retryable || attempt >= _options.MaxAttempts || wait > _options.MaxRetryAfter)
            {
                return (0, rows.Count, calls, Explain(message.Response));
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The status and the service's error code only: the body is not copied (it may quote the request).</summary>
    private static string Explain(Response response)
    {
        var code = ErrorBody.PlainCode(response.Content.ToMemory().Span);
        var what = $"the Logs Ingestion API answered {response.Status}{(code is null ? string.Empty : " " + code)}";
        return response.Status switch
        {
            401 or 403 => what + ": give the app's identity the 'Monitoring Metrics Publisher' role on the data collection rule",
            404 => what + ": check LogAnalytics:Endpoint (the data collection endpoint's logs ingestion URL), LogAnalytics:RuleId (the rule's immutable id) and LogAnalytics:Stream",
            400 => what + ": the rows do not match the stream the rule declares",
            429 => what + ": throttled for longer than LogAnalytics:MaxRetryAfter or LogAnalytics:MaxAttempts allow",
            _ => what,
        };
    }

    private TimeSpan? RetryAfter(Response response) =>
        RetryRules.RequestedDelay(response.Status, name => response.Headers.TryGetValue(name, out var value) ? value : null, _time.GetUtcNow());

    private static byte[] Compress(List<byte[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.WriteByte((byte)'[');
            for (var i = 0; i < rows.Count; i++)
            {
                if (i > 0)
                {
                    gzip.WriteByte((byte)',');
                }

                gzip.Write(rows[i]);
            }

            gzip.WriteByte((byte)']');
        }

        return buffer.ToArray();
    }

    private sealed class IngestionClientOptions : ClientOptions
    {
    }
}
