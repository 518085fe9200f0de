using System.Globalization;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Azure.LogAnalytics;

/// <summary>
/// A finding as one row of the ComplianceFindings_CL table: the columns the template declares for the
/// stream and the table (infra/main.bicep, findingColumns) — names and types kept the same in both places
/// (a test compares them). Column names avoid the ones Log Analytics reserves ("Type, TenantId, resource,
/// resourceid, resourcename, resourcetype, subscriptionid, tenanted" — Microsoft Learn, "Logs Ingestion API
/// in Azure Monitor", supported tables): the scanned tenant is ScannedTenantId, the resource a finding is
/// about AssessedResourceId, AssessedResourceName, AssessedResourceType and AssessedSubscriptionId.
/// </summary>
public static class FindingRows
{
    public static JsonObject Row(RunRecord run, StoredFinding stored, DateTimeOffset exportedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stored);
        var f = stored.Finding;
        var controls = new JsonObject();
        foreach (var (framework, ids) in f.Controls)
        {
            controls[framework] = new JsonArray(ids.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray());
        }

        return new JsonObject
        {
            ["TimeGenerated"] = Time(run.FinishedAt ?? exportedAt),
            ["RunId"] = run.RunId,
            ["RunStatus"] = run.Status.ToWire(),
            ["RunStartedAt"] = Time(run.StartedAt),
            ["ScannedTenantId"] = run.TenantId,
            ["ScopeId"] = stored.ScopeId,
            ["FindingId"] = f.FindingId,
            ["RuleId"] = f.RuleId,
            ["RuleTitle"] = f.RuleTitle,
            ["PackId"] = f.PackId,
            ["PackVersion"] = f.PackVersion,
            ["AssessedResourceId"] = f.ResourceId,
            ["AssessedResourceName"] = f.ResourceName,
            ["AssessedResourceType"] = f.ResourceType,
            ["Location"] = f.Location,
            ["AssessedSubscriptionId"] = f.SubscriptionId,
            ["Outcome"] = f.Outcome.ToWire(),
            ["Severity"] = f.Severity.ToWire(),
            ["Category"] = f.Category.ToWire(),
            ["HistoryStatus"] = stored.Status?.ToWire(),
            ["Carried"] = stored.Carried,
            ["Reason"] = f.Reason,
            ["Message"] = f.Message,
            ["Controls"] = controls,
            ["SuppressionExpiresOn"] = f.SuppressionExpiresOn is { } expires ? Time(expires) : null,
        };
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
