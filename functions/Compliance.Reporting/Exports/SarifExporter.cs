using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Report;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Exports;

/// <summary>
/// A run as SARIF 2.1.0 (OASIS, errata 01) for code-scanning tools (GitHub code scanning, Defender for
/// DevOps): one <c>reportingDescriptor</c> per rule that has a finding in the run, with its title, help
/// (remediation and links) and default level; one <c>result</c> per failing, error or suppressed finding,
/// its location the resource id (an artifact location and a logical location of kind "resource"), its
/// fingerprint the finding id, its baseline state from the run's history, a suppressed finding with its
/// accepted <c>suppression</c>. Scopes that could not be read are tool execution notifications. The
/// findings are read twice as a stream (rules, then results): memory holds the rules, not the run.
/// </summary>
public sealed class SarifExporter(IReportStore store)
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    public async Task<ExportSummary> WriteAsync(RunRecord run, Stream output, string toolVersion, IReadOnlyDictionary<string, RuleDoc>? docs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        docs ??= new Dictionary<string, RuleDoc>();
        var rules = new SortedDictionary<string, Finding>(StringComparer.Ordinal);
        await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }, cancellationToken))
        {
            rules.TryAdd(stored.Finding.RuleId, stored.Finding);
        }

        var index = rules.Keys.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var results = 0;
        await using var json = new Utf8JsonWriter(output, FindingJson.WriterOptions(indented: true));
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "compliance");
        json.WriteString("version", toolVersion);
        json.WriteStartArray("rules");
        foreach (var (ruleId, meta) in rules)
        {
            WriteRule(json, meta, docs.GetValueOrDefault(ruleId));
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("automationDetails");
        json.WriteString("id", $"compliance/{run.TenantId}/{run.RunId}");
        json.WriteEndObject();
        WriteInvocation(json, run);
        WriteRunProperties(json, run);

        json.WriteStartArray("results");
        await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }, cancellationToken))
        {
            if (stored.Finding.Outcome == Outcome.Pass)
            {
                continue;
            }

            WriteResult(json, stored, index[stored.Finding.RuleId]);
            results++;
            if (json.BytesPending > 1 << 16)
            {
                await json.FlushAsync(cancellationToken);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        return new ExportSummary(rules.Count, results);
    }

    /// <summary>SARIF level of a failing finding: error for critical and high, warning for medium, note below.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>
    /// GitHub code scanning's security-severity: "over 9.0 is critical, 7.0 to 8.9 is high, 4.0 to 6.9 is
    /// medium and 3.9 or less is low" (GitHub Docs, "SARIF support for code scanning", reportingDescriptor
    /// object). Informational has none.
    /// </summary>
    public static string? SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => null,
    };

    /// <summary>The resource id as a URI reference: each segment percent-encoded, the slashes kept.</summary>
    public static string ArtifactUri(string resourceId) =>
        string.Join('/', resourceId.Split('/').Select(Uri.EscapeDataString));

    private static void WriteRule(Utf8JsonWriter json, Finding meta, RuleDoc? doc)
    {
        json.WriteStartObject();
        json.WriteString("id", meta.RuleId);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", meta.RuleTitle);
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", doc?.Description ?? meta.RuleTitle);
        json.WriteEndObject();
        var links = doc?.Links ?? [];
        var remediation = meta.Remediation ?? "No remediation is given for this rule.";
        json.WriteStartObject("help");
        json.WriteString("text", links.Count == 0 ? remediation : remediation + "\n\n" + string.Join("\n", links));
        json.WriteString("markdown", "**Remediation.** " + remediation + string.Concat(links.Select(l => $"\n\n- <{l}>")));
        json.WriteEndObject();
        if (links.FirstOrDefault(l => Uri.TryCreate(l, UriKind.Absolute, out _)) is { } helpUri)
        {
            json.WriteString("helpUri", helpUri);
        }

        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(meta.Severity));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue("compliance");
        json.WriteStringValue(meta.Category.ToWire());
        foreach (var (framework, controls) in meta.Controls.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var control in controls)
            {
                json.WriteStringValue($"{framework}/{control}");
            }
        }

        json.WriteEndArray();
        if (SecuritySeverity(meta.Severity) is { } score)
        {
            json.WriteString("security-severity", score);
        }

        json.WriteString("severity", meta.Severity.ToWire());
        json.WriteString("category", meta.Category.ToWire());
        json.WriteString("packId", meta.PackId);
        json.WriteString("packVersion", meta.PackVersion);
        WriteControls(json, meta.Controls);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, RunRecord run)
    {
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", run.IsFinalized);
        json.WriteString("startTimeUtc", IsoTime.Seconds(run.StartedAt));
        if (run.FinishedAt is { } finished)
        {
            json.WriteString("endTimeUtc", IsoTime.Seconds(finished));
        }

        var unread = run.Scopes.Where(s => s.Status != ScopeStatus.Ok).ToList();
        if (unread.Count > 0)
        {
            json.WriteStartArray("toolExecutionNotifications");
            foreach (var scope in unread)
            {
                json.WriteStartObject();
                json.WriteString("level", "error");
                json.WriteStartObject("message");
                json.WriteString("text", $"{scope.DisplayName ?? scope.Id} ({scope.Id}) could not be read completely ({scope.Status.ToWire()}): {scope.Error ?? "no reason recorded"}. Nothing in it is reported as compliant.");
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartArray("logicalLocations");
                json.WriteStartObject();
                json.WriteString("fullyQualifiedName", scope.Id);
                json.WriteString("kind", "resource");
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteRunProperties(Utf8JsonWriter json, RunRecord run)
    {
        json.WriteStartObject("properties");
        json.WriteString("runId", run.RunId);
        json.WriteString("tenantId", run.TenantId);
        json.WriteString("runStatus", run.Status.ToWire());
        if (run.SuspectReason is { } suspect)
        {
            json.WriteString("suspectReason", suspect);
        }

        if (run.Provenance.CollectedAt is { } collected)
        {
            json.WriteString("collectedAt", IsoTime.Seconds(collected));
        }

        if (run.Provenance.SnapshotFile is { } file)
        {
            json.WriteString("snapshotFile", file);
        }

        if (run.Provenance.SnapshotSha256 is { } sha)
        {
            json.WriteString("snapshotSha256", sha);
        }

        if (run.PreviousRunId is { } previous)
        {
            json.WriteString("previousRunId", previous);
        }

        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, StoredFinding stored, int ruleIndex)
    {
        var f = stored.Finding;
        json.WriteStartObject();
        json.WriteString("ruleId", f.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);

        // SARIF §3.27.9: a level other than "none" requires kind "fail"; a finding that could not be
        // evaluated is one for a person to review, at level "none".
        json.WriteString("kind", f.Outcome == Outcome.Error ? "review" : "fail");
        json.WriteString("level", f.Outcome == Outcome.Error ? "none" : Level(f.Severity));
        json.WriteStartObject("message");
        json.WriteString("text", FindingText.Of(f));
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", ArtifactUri(f.ResourceId));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("name", f.ResourceName);
        json.WriteString("fullyQualifiedName", f.ResourceId);
        json.WriteString("kind", "resource");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString("findingId/v1", f.FindingId);
        json.WriteEndObject();
        if (BaselineState(stored.Status) is { } baseline)
        {
            json.WriteString("baselineState", baseline);
        }

        if (f.Outcome == Outcome.Suppressed)
        {
            json.WriteStartArray("suppressions");
            json.WriteStartObject();
            json.WriteString("kind", "external");
            json.WriteString("status", "accepted");
            if (f.SuppressionJustification is { } justification)
            {
                json.WriteString("justification", justification);
            }

            json.WriteStartObject("properties");
            if (f.SuppressionId is { } id)
            {
                json.WriteString("suppressionId", id);
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
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartObject("properties");
        json.WriteString("outcome", f.Outcome.ToWire());
        json.WriteString("severity", f.Severity.ToWire());
        json.WriteString("resourceType", f.ResourceType);
        if (f.SubscriptionId is { } subscription)
        {
            json.WriteString("subscriptionId", subscription);
        }

        if (f.Location is { Length: > 0 } location)
        {
            json.WriteString("location", location);
        }

        json.WriteString("scopeId", stored.ScopeId);
        if (stored.Status is { } status)
        {
            json.WriteString("historyStatus", status.ToWire());
        }

        if (stored.Carried)
        {
            json.WriteBoolean("carried", true);
        }

        json.WriteString("reason", f.Reason);
        json.WriteStartArray("evidence");
        foreach (var item in f.Evidence)
        {
            json.WriteStartObject();
            json.WriteString("path", item.Path);
            json.WriteString("observed", item.Observed);
            json.WriteString("expected", item.Expected);
            json.WriteBoolean("satisfied", item.Satisfied);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteControls(json, f.Controls);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string? BaselineState(HistoryStatus? status) => status switch
    {
        HistoryStatus.New or HistoryStatus.Regressed => "new",
        HistoryStatus.Persisting => "unchanged",
        _ => null,
    };

    private static void WriteControls(Utf8JsonWriter json, IReadOnlyDictionary<string, IReadOnlyList<string>> controls)
    {
        json.WriteStartObject("controls");
        foreach (var (framework, ids) in controls.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            json.WriteStartArray(framework);
            foreach (var id in ids)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }
}
