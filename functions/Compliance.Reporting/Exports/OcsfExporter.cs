using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Controls;
using Compliance.Reporting.History;
using Compliance.Reporting.Report;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Exports;

/// <summary>
/// A run as OCSF 1.8.0 Compliance Finding events (class_uid 2003, category Findings), one JSON object
/// per line, with the cloud profile — for Microsoft Sentinel, Amazon Security Lake and other OCSF
/// consumers. Every finding the run holds is an event: <c>compliance.status_id</c> from the outcome (pass
/// 1 Pass, fail and suppressed 3 Fail, error 2 Warning: "did not yield a result due to missing
/// information"), <c>compliance.standards</c> and <c>requirements</c> from the controls, the finding's
/// <c>status_id</c> from its history and suppression (3 Suppressed, 4 Resolved, else 1 New), the activity
/// from its history (new 1 Create, resolved 3 Close, else 2 Update). Streamed: a finding a line.
/// </summary>
public sealed class OcsfExporter(IReportStore store)
{
    /// <summary>The OCSF schema version the events follow (metadata.version).</summary>
    public const string SchemaVersion = "1.8.0";

    public const int ClassUid = 2003;

    public const int CategoryUid = 2;

    public async Task<ExportSummary> WriteAsync(RunRecord run, Stream output, string toolVersion, IReadOnlyDictionary<string, RuleDoc>? docs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        docs ??= new Dictionary<string, RuleDoc>();
        var catalog = ControlCatalog.BuiltIn;
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var events = 0;
        var time = (run.FinishedAt ?? run.StartedAt).ToUnixTimeMilliseconds();
        await using var json = new Utf8JsonWriter(output, FindingJson.WriterOptions(indented: false));
        await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }, cancellationToken))
        {
            rules.Add(stored.Finding.RuleId);
            WriteEvent(json, run, stored, time, toolVersion, docs.GetValueOrDefault(stored.Finding.RuleId), catalog);
            json.Flush();
            output.WriteByte((byte)'\n');
            json.Reset();
            events++;
            if (events % 256 == 0)
            {
                await output.FlushAsync(cancellationToken);
            }
        }

        await output.FlushAsync(cancellationToken);
        return new ExportSummary(rules.Count, events);
    }

    /// <summary>OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical (dictionary.json, severity_id).</summary>
    public static (int Id, string Caption) SeverityOf(Severity severity) => severity switch
    {
        Severity.Informational => (1, "Informational"),
        Severity.Low => (2, "Low"),
        Severity.Medium => (3, "Medium"),
        Severity.High => (4, "High"),
        _ => (5, "Critical"),
    };

    /// <summary>compliance.status_id (objects/compliance.json): 1 Pass, 2 Warning (no result: missing information), 3 Fail.</summary>
    public static (int Id, string Caption) ComplianceStatusOf(Outcome outcome) => outcome switch
    {
        Outcome.Pass => (1, "Pass"),
        Outcome.Error => (2, "Warning"),
        _ => (3, "Fail"),
    };

    /// <summary>The finding's status_id (events/findings/finding.json): 3 Suppressed, 4 Resolved, else 1 New (not yet reviewed).</summary>
    public static (int Id, string Caption) FindingStatusOf(Outcome outcome, HistoryStatus? status) =>
        outcome == Outcome.Suppressed ? (3, "Suppressed") : status == HistoryStatus.Resolved ? (4, "Resolved") : (1, "New");

    /// <summary>activity_id (finding.json): 1 Create for a new or regressed problem, 3 Close for a resolved one, else 2 Update.</summary>
    public static (int Id, string Caption) ActivityOf(HistoryStatus? status) => status switch
    {
        HistoryStatus.New or HistoryStatus.Regressed => (1, "Create"),
        HistoryStatus.Resolved => (3, "Close"),
        _ => (2, "Update"),
    };

    private static void WriteEvent(Utf8JsonWriter json, RunRecord run, StoredFinding stored, long time, string toolVersion, RuleDoc? doc, ControlCatalog catalog)
    {
        var f = stored.Finding;
        var activity = ActivityOf(stored.Status);
        var severity = SeverityOf(f.Severity);
        var findingStatus = FindingStatusOf(f.Outcome, stored.Status);
        var compliance = ComplianceStatusOf(f.Outcome);
        json.WriteStartObject();
        json.WriteNumber("activity_id", activity.Id);
        json.WriteString("activity_name", activity.Caption);
        json.WriteNumber("category_uid", CategoryUid);
        json.WriteString("category_name", "Findings");
        json.WriteNumber("class_uid", ClassUid);
        json.WriteString("class_name", "Compliance Finding");
        json.WriteNumber("type_uid", (ClassUid * 100) + activity.Id);
        json.WriteString("type_name", $"Compliance Finding: {activity.Caption}");
        json.WriteNumber("time", time);
        json.WriteNumber("severity_id", severity.Id);
        json.WriteString("severity", severity.Caption);
        json.WriteNumber("status_id", findingStatus.Id);
        json.WriteString("status", findingStatus.Caption);
        json.WriteString("message", FindingText.Of(f));

        json.WriteStartObject("metadata");
        json.WriteString("version", SchemaVersion);
        json.WriteStartObject("product");
        json.WriteString("name", "compliance");
        json.WriteString("vendor_name", "Compliance");
        json.WriteString("version", toolVersion);
        json.WriteEndObject();
        json.WriteStartArray("profiles");
        json.WriteStringValue("cloud");
        json.WriteEndArray();
        json.WriteString("uid", $"{run.RunId}/{f.FindingId}");
        json.WriteString("correlation_uid", run.RunId);
        json.WriteString("tenant_uid", run.TenantId);
        json.WriteString("log_name", "compliance findings");
        if (run.Provenance.CollectedAt is { } collected)
        {
            json.WriteString("original_time", IsoTime.Seconds(collected));
        }

        json.WriteEndObject();

        json.WriteStartObject("cloud");
        json.WriteString("provider", "Azure");
        if (f.SubscriptionId is { } subscription)
        {
            json.WriteStartObject("account");
            json.WriteString("uid", subscription);
            if (run.FindScope(ResourceIds.SubscriptionScopeId(subscription))?.DisplayName is { } name)
            {
                json.WriteString("name", name);
            }

            json.WriteNumber("type_id", 13);
            json.WriteString("type", "Azure Subscription");
            json.WriteEndObject();
        }

        json.WriteStartObject("org");
        json.WriteString("uid", run.TenantId);
        json.WriteEndObject();
        if (f.Location is { Length: > 0 } region)
        {
            json.WriteString("region", region);
        }

        json.WriteEndObject();

        json.WriteStartObject("finding_info");
        json.WriteString("uid", f.FindingId);
        json.WriteString("title", f.RuleTitle);
        json.WriteString("desc", f.Reason);
        json.WriteStartArray("types");
        json.WriteStringValue(f.Category.ToWire());
        json.WriteEndArray();
        json.WriteStartObject("analytic");
        json.WriteString("uid", f.RuleId);
        json.WriteString("name", f.RuleTitle);
        json.WriteNumber("type_id", 1);
        json.WriteString("type", "Rule");
        json.WriteString("category", f.Category.ToWire());
        json.WriteString("version", f.PackVersion);
        json.WriteEndObject();
        if (doc?.Links.FirstOrDefault() is { } link)
        {
            json.WriteString("src_url", link);
        }

        json.WriteEndObject();

        json.WriteStartObject("compliance");
        json.WriteNumber("status_id", compliance.Id);
        json.WriteString("status", compliance.Caption);
        json.WriteString("control", f.Controls.Count == 0 ? f.RuleId : Csv.FindingsCsvWriter.FormatControls(f.Controls));
        json.WriteStartArray("standards");
        foreach (var framework in f.Controls.Keys.Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(catalog.TitleOfFramework(framework));
        }

        json.WriteEndArray();
        json.WriteStartArray("requirements");
        foreach (var (framework, controls) in f.Controls.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var control in controls)
            {
                json.WriteStringValue(catalog.TitleOf(framework, control) is { } title ? $"{framework} {control}: {title}" : $"{framework} {control}");
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("checks");
        json.WriteStartObject();
        json.WriteString("uid", f.RuleId);
        json.WriteString("name", f.RuleTitle);
        if (doc?.Description is { } description)
        {
            json.WriteString("desc", description);
        }

        json.WriteNumber("severity_id", severity.Id);
        json.WriteString("severity", severity.Caption);
        json.WriteNumber("status_id", compliance.Id);
        json.WriteString("status", compliance.Caption);
        json.WriteString("version", f.PackVersion);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("status_details");
        json.WriteStringValue(f.Reason);
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("resources");
        json.WriteStartObject();
        json.WriteString("uid", f.ResourceId);
        json.WriteString("name", f.ResourceName);
        json.WriteString("type", f.ResourceType);
        if (f.Location is { Length: > 0 } resourceRegion)
        {
            json.WriteString("region", resourceRegion);
        }

        if (ResourceIds.ResourceGroupIdOf(f.ResourceId) is { } group)
        {
            json.WriteStartObject("group");
            json.WriteString("uid", group);
            json.WriteString("name", ResourceIds.LastSegment(group));
            json.WriteEndObject();
        }

        if (f.Tags is { Count: > 0 } tags)
        {
            json.WriteStartArray("tags");
            foreach (var (name, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("value", value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();

        if (f.Remediation is { } remediation)
        {
            json.WriteStartObject("remediation");
            json.WriteString("desc", remediation);
            if (doc is { Links.Count: > 0 })
            {
                json.WriteStartArray("references");
                foreach (var reference in doc.Links)
                {
                    json.WriteStringValue(reference);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        if (f.Evidence.Count > 0)
        {
            json.WriteStartArray("evidences");
            foreach (var item in f.Evidence)
            {
                json.WriteStartObject();
                json.WriteString("name", item.Path);
                json.WriteStartObject("data");
                json.WriteString("path", item.Path);
                json.WriteString("observed", item.Observed);
                json.WriteString("expected", item.Expected);
                json.WriteBoolean("satisfied", item.Satisfied);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("unmapped");
        json.WriteString("runId", run.RunId);
        json.WriteString("runStatus", run.Status.ToWire());
        json.WriteString("outcome", f.Outcome.ToWire());
        json.WriteString("scopeId", stored.ScopeId);
        if (stored.Status is { } history)
        {
            json.WriteString("historyStatus", history.ToWire());
        }

        if (stored.Carried)
        {
            json.WriteBoolean("carried", true);
        }

        json.WriteString("packId", f.PackId);
        if (f.Outcome == Outcome.Suppressed)
        {
            json.WriteStartObject("suppression");
            if (f.SuppressionId is { } id)
            {
                json.WriteString("id", id);
            }

            if (f.SuppressionJustification is { } justification)
            {
                json.WriteString("justification", justification);
            }

            if (f.SuppressionExpiresOn is { } expires)
            {
                json.WriteString("expiresOn", IsoTime.Seconds(expires));
            }

            if (f.SuppressionBroad == true)
            {
                json.WriteBoolean("broad", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
