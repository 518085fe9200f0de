using Compliance.Functions.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Functions.Http;

/// <summary>
/// The HTTP API with Entra ID bearer tokens: the same calls as <see cref="RunsApi"/>, under
/// /api/entra/…. A function key is checked by the Functions host before the worker sees the request
/// (AuthorizationLevel.Function), so a route that takes a token instead must be anonymous to the host:
/// these are, and nothing is answered until <see cref="ApiTokenValidator"/> has accepted the token and
/// its app role — <see cref="ApiTokenOptions.FindingsRead"/> for runs, findings and the report,
/// <see cref="ApiTokenOptions.EvidenceRead"/> for evidence. Links in the answers stay under /api/entra.
/// </summary>
public sealed class EntraRunsApi(IServiceProvider services, ApiTokenValidator tokens)
{
    [Function("EntraListRuns")]
    public Task<IActionResult> ListRunsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "entra/runs")] HttpRequest request, CancellationToken cancellationToken) =>
        WithRoleAsync(request, ApiTokenOptions.FindingsRead, api => api.ListRunsAsync(request, cancellationToken), cancellationToken);

    [Function("EntraGetRun")]
    public Task<IActionResult> GetRunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "entra/runs/{runId}")] HttpRequest request, string runId, CancellationToken cancellationToken) =>
        WithRoleAsync(request, ApiTokenOptions.FindingsRead, api => api.GetRunAsync(request, runId, cancellationToken), cancellationToken);

    [Function("EntraListFindings")]
    public Task<IActionResult> ListFindingsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "entra/runs/{runId}/findings")] HttpRequest request, string runId, CancellationToken cancellationToken) =>
        WithRoleAsync(request, ApiTokenOptions.FindingsRead, api => api.ListFindingsAsync(request, runId, cancellationToken), cancellationToken);

    [Function("EntraGetReport")]
    public Task<IActionResult> GetReportAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "entra/runs/{runId}/report")] HttpRequest request, string runId, CancellationToken cancellationToken) =>
        WithRoleAsync(request, ApiTokenOptions.FindingsRead, api => api.GetReportAsync(request, runId, cancellationToken), cancellationToken);

    [Function("EntraDownloadEvidence")]
    public Task<IActionResult> DownloadEvidenceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "entra/runs/{runId}/evidence/{file}")] HttpRequest request, string runId, string file, CancellationToken cancellationToken) =>
        WithRoleAsync(request, ApiTokenOptions.EvidenceRead, api => api.DownloadEvidenceAsync(request, runId, file, cancellationToken), cancellationToken);

    private async Task<IActionResult> WithRoleAsync(HttpRequest request, string role, Func<RunsApi, Task<IActionResult>> call, CancellationToken cancellationToken)
    {
        var result = await tokens.AuthorizeAsync(request, role, cancellationToken);
        if (!result.Allowed)
        {
            return ApiTokenValidator.Refuse(request, result);
        }

        // The keyed API's own code answers: one implementation of each call, built as the worker builds it.
        return await call(ActivatorUtilities.CreateInstance<RunsApi>(services));
    }
}
