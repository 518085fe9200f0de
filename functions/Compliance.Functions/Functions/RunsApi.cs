using System.Text.Json.Nodes;
using Compliance.Azure.Secrets;
using Compliance.Azure.Storage;
using Compliance.Core.Findings;
using Compliance.Functions.Http;
using Compliance.Functions.Runs;
using Compliance.Reporting.History;
using Compliance.Reporting.Report;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Primitives;

namespace Compliance.Functions.Functions;

/// <summary>
/// The HTTP API over stored runs (function key required): the runs, a run, its findings page by page
/// with filters, its HTML report and its evidence files. Unknown runs answer 404 and bad parameters 400, each with a
/// JSON error naming what is wrong.
/// </summary>
public sealed class RunsApi(IReportStore store, RunLookup lookup, EvidenceBlobStore evidence, EvidencePublisher publisher, HtmlReport report)
{
    private const int MaxPageSize = 1000;

    /// <summary>GET /api/runs?tenant=&amp;status=&amp;limit= — newest first.</summary>
    [Function("ListRuns")]
    public async Task<IActionResult> ListRunsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Unknown(request, "tenant", "status", "limit") is { } unknown)
        {
            return unknown;
        }

        if (!TryParseList(request, "status", (string s, out RunStatus v) => EnumNames.TryParse(s, out v), Names<RunStatus>(), out var statuses, out var bad))
        {
            return bad!;
        }

        if (!TryParseInt(request, "limit", 20, 1, 100, out var limit, out bad))
        {
            return bad!;
        }

        var tenant = request.Query["tenant"].ToString();
        var runs = await store.ListRunsAsync(new RunQuery { TenantId = tenant.Length == 0 ? null : tenant, Statuses = statuses, Limit = limit }, cancellationToken);
        var apiBase = ApiBase(request);
        return ApiResults.Json(new JsonObject { ["runs"] = new JsonArray(runs.Select(r => (JsonNode)ApiJson.Run(r, apiBase)).ToArray()) });
    }

    /// <summary>GET /api/runs/{runId} — or "latest": the last finalised run (by finish time).</summary>
    [Function("GetRun")]
    public async Task<IActionResult> GetRunAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequest request, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (run, error) = await FindRunAsync(runId, cancellationToken);
        return run is null ? error! : ApiResults.Json(ApiJson.Run(run, ApiBase(request)));
    }

    /// <summary>
    /// GET /api/runs/{runId}/findings?severity=&amp;category=&amp;outcome=&amp;status=&amp;pageSize=&amp;continuationToken=
    /// — each filter takes values separated by commas (or repeated); "next" is the URL of the next page.
    /// </summary>
    [Function("ListFindings")]
    public async Task<IActionResult> ListFindingsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/findings")] HttpRequest request, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Unknown(request, "severity", "category", "outcome", "status", "pageSize", "continuationToken") is { } unknown)
        {
            return unknown;
        }

        if (!TryParseList(request, "severity", (string s, out Severity v) => EnumNames.TryParseSeverity(s, out v), Names<Severity>(), out var severities, out var bad)
            || !TryParseList(request, "category", (string s, out RuleCategory v) => EnumNames.TryParseCategory(s, out v), Names<RuleCategory>(), out var categories, out bad)
            || !TryParseList(request, "outcome", (string s, out Outcome v) => EnumNames.TryParseOutcome(s, out v), Names<Outcome>(), out var outcomes, out bad)
            || !TryParseList(request, "status", (string s, out HistoryStatus v) => EnumNames.TryParse(s, out v), Names<HistoryStatus>(), out var statuses, out bad)
            || !TryParseInt(request, "pageSize", 100, 1, MaxPageSize, out var pageSize, out bad))
        {
            return bad!;
        }

        var (run, error) = await FindRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return error!;
        }

        var token = request.Query["continuationToken"].ToString();
        var query = new FindingQuery
        {
            RunId = run.RunId,
            Severities = severities,
            Categories = categories,
            Outcomes = outcomes,
            Statuses = statuses,
            PageSize = pageSize,
            ContinuationToken = token.Length == 0 ? null : token,
        };
        FindingPage page;
        try
        {
            page = await store.ListFindingsAsync(query, cancellationToken);
        }
        catch (Exception ex) when (query.ContinuationToken is not null && ex is FormatException or ArgumentException or global::Azure.RequestFailedException { Status: 400 })
        {
            return ApiResults.BadParameter("continuationToken", "continuationToken is not one this API gave: start again without it");
        }

        var body = new JsonObject
        {
            ["runId"] = run.RunId,
            ["runStatus"] = run.Status.ToWire(),
            ["suspectReason"] = run.SuspectReason,
            ["count"] = page.Findings.Count,
            ["findings"] = new JsonArray(page.Findings.Select(ApiJson.Finding).ToArray()),
        };
        if (page.ContinuationToken is { } next)
        {
            var others = request.Query.Where(q => q.Key != "continuationToken").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"));
            body["continuationToken"] = next;
            body["next"] = $"{ApiBase(request)}/runs/{Uri.EscapeDataString(run.RunId)}/findings?{string.Join("&", others.Append("continuationToken=" + Uri.EscapeDataString(next)))}";
        }

        return ApiResults.Json(body);
    }

    /// <summary>
    /// GET /api/runs/{runId}/report — the HTML report of a finalised run (or "latest"), the page
    /// <c>compliance report</c> writes: self-contained, served with a Content-Security-Policy that allows
    /// no request and only the page's own script.
    /// </summary>
    [Function("GetReport")]
    public async Task<IActionResult> GetReportAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/report")] HttpRequest request, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Unknown(request) is { } unknown)
        {
            return unknown;
        }

        var (run, error) = await FindRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return error!;
        }

        if (!run.IsFinalized)
        {
            return ApiResults.Error(409, "RunNotFinalized", $"run '{run.RunId}' is {run.Status.ToWire()}: its report is written when it is finalised");
        }

        using var html = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await report.WriteAsync(run, html, EvidencePublisher.ToolVersion, cancellationToken);
        request.HttpContext.Response.Headers.ContentSecurityPolicy = HtmlReport.ContentSecurityPolicy;
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return new ContentResult { Content = html.ToString(), ContentType = HtmlReport.ContentType, StatusCode = 200 };
    }

    /// <summary>GET /api/runs/{runId}/evidence/{file} — findings.csv, controls.csv or manifest.json, as an attachment under its own name (keep the three together to verify them).</summary>
    [Function("DownloadEvidence")]
    public async Task<IActionResult> DownloadEvidenceAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/evidence/{file}")] HttpRequest request, string runId, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = EvidenceBlobStore.Files.FirstOrDefault(f => f.Equals(file, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return ApiResults.Error(404, "EvidenceFileNotFound", $"a run's evidence has no file '{file}': ask for one of {string.Join(", ", EvidenceBlobStore.Files)}", "file");
        }

        var (run, error) = await FindRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return error!;
        }

        if (!run.IsFinalized)
        {
            return ApiResults.Error(409, "RunNotFinalized", $"run '{run.RunId}' is {run.Status.ToWire()}: its evidence is written when it is finalised");
        }

        var stream = await evidence.OpenReadAsync(run.RunId, name, cancellationToken);
        if (stream is null)
        {
            return await EvidenceMissingAsync(run, request, cancellationToken);
        }

        return new FileStreamResult(stream, EvidenceBlobStore.ContentType(name)) { FileDownloadName = name };
    }

    private async Task<IActionResult> EvidenceMissingAsync(RunRecord run, HttpRequest request, CancellationToken cancellationToken)
    {
        var why = string.Empty;
        try
        {
            await publisher.SigningKeyAsync(cancellationToken);
        }
        catch (SecretUnavailableException ex)
        {
            why = " It cannot be written now: " + ex.Message + ".";
        }

        request.HttpContext.Response.Headers.RetryAfter = "600";
        return ApiResults.Error(503, "EvidenceNotWritten", $"the evidence of run '{run.RunId}' is not written yet.{why} The sweep (every 10 minutes) writes it again.");
    }

    private async Task<(RunRecord? Run, IActionResult? Error)> FindRunAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            return (await lookup.FindAsync(runId, finalizedOnly: false, "the report store", cancellationToken), null);
        }
        catch (RunLookupException ex)
        {
            return (null, ex.Problem switch
            {
                RunLookupProblem.BadId => ApiResults.BadParameter("runId", ex.Message),
                RunLookupProblem.NoRunYet => ApiResults.Error(404, "RunNotFound", "there is no finalised run yet"),
                _ => ApiResults.RunNotFound(runId),
            });
        }
    }

    private delegate bool Parser<T>(string text, out T value);

    private static bool TryParseList<T>(HttpRequest request, string parameter, Parser<T> parse, string allowed, out List<T> values, out IActionResult? error)
    {
        values = [];
        error = null;
        foreach (var raw in request.Query[parameter].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!parse(raw, out var value))
            {
                error = ApiResults.BadParameter(parameter, $"{parameter} '{raw}' is not one of: {allowed}");
                return false;
            }

            values.Add(value);
        }

        return true;
    }

    private static bool TryParseInt(HttpRequest request, string parameter, int fallback, int min, int max, out int value, out IActionResult? error)
    {
        value = fallback;
        error = null;
        var text = request.Query[parameter];
        if (StringValues.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Count == 1 && int.TryParse(text[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = ApiResults.BadParameter(parameter, $"{parameter} '{text}' is not a whole number from {min} to {max}");
        return false;
    }

    private static ContentResult? Unknown(HttpRequest request, params string[] known)
    {
        var unknown = request.Query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal) && k != "code");
        return unknown is null ? null : ApiResults.BadParameter(unknown, $"unknown parameter '{unknown}': this call takes {(known.Length == 0 ? "none" : string.Join(", ", known))}");
    }

    private static string Names<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", EnumNames.Names<TEnum>());

    /// <summary>"/api" (the host's route prefix), read off the request so links follow the host's configuration.</summary>
    private static string ApiBase(HttpRequest request)
    {
        var path = request.PathBase.Add(request.Path).Value ?? string.Empty;
        var at = path.IndexOf("/runs", StringComparison.Ordinal);
        return at < 0 ? "/api" : path[..at];
    }
}
