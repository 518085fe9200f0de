using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Tests.Store;

/// <summary>Findings and runs for the store and history tests (shared with the Azure store's tests).</summary>
internal static class StoreTestData
{
    public const string Tenant = "7f3e2d1c-4b5a-4e6f-9a8b-0c1d2e3f4a5b";
    public const string Prod = "/subscriptions/3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13";
    public const string Dev = "/subscriptions/9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57";
    public static readonly string Entra = "/tenants/" + Tenant;

    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    public static string Resource(string scope, string name) =>
        $"{scope}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/{name}";

    public static Finding Finding(string ruleId, string resourceId, Outcome outcome, Severity severity = Severity.High, string packId = "azure-encryption") => new()
    {
        FindingId = FindingId.Compute(ruleId, resourceId),
        RuleId = ruleId,
        RuleTitle = $"Rule {ruleId}",
        PackId = packId,
        PackVersion = "1.0.0",
        ResourceId = resourceId,
        ResourceName = resourceId[(resourceId.LastIndexOf('/') + 1)..],
        ResourceType = "Microsoft.Storage/storageAccounts",
        Location = "westeurope",
        SubscriptionId = resourceId.StartsWith("/subscriptions/", StringComparison.Ordinal) ? resourceId.Split('/')[2] : null,
        Outcome = outcome,
        Severity = severity,
        Category = RuleCategory.Encryption,
        Reason = outcome == Outcome.Pass ? "properties.minimumTlsVersion is 'TLS1_2'." : "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'.",
        Evidence = [new EvidenceItem("properties.minimumTlsVersion", outcome == Outcome.Pass ? "\"TLS1_2\"" : "\"TLS1_0\"", "'TLS1_2'", outcome == Outcome.Pass, "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'")],
        Controls = new Dictionary<string, IReadOnlyList<string>> { ["CIS-Azure-3.0.0"] = ["3.15"], ["NIST-800-53-r5"] = ["SC-8"] },
        Remediation = "Set the minimum TLS version to 1.2.",
    };

    public static RunStart Run(string runId, DateTimeOffset startedAt, string tenant = Tenant, params string[] scopes) => new()
    {
        RunId = runId,
        TenantId = tenant,
        StartedAt = startedAt,
        ExpectedScopes = (scopes.Length == 0 ? [Prod, Dev] : scopes).Select(s => new RunScopeStart(s, s == Prod ? "Northwind Production" : null)).ToList(),
        Packs = [new PackInfo("azure-encryption", "1.0.0", new string('a', 64))],
        RuleIds = ["AZ-ENC-001", "AZ-ENC-002", "AZ-ENC-003"],
        Trigger = "test",
    };
}
