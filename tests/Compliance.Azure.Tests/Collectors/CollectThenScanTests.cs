using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Azure.Tests.Collectors;

/// <summary>Collect a tenant from the fakes with the bundled rules' types, then scan the snapshot with the engine.</summary>
public sealed class CollectThenScanTests
{
    [Fact]
    public async Task A_collected_snapshot_scans_with_the_bundled_rules_and_failed_scopes_become_error_findings()
    {
        var packs = RulePackLoader.Load(RulePackFiles.Read([Path.Combine(AppContext.BaseDirectory, "rules")]));
        Assert.False(packs.HasErrors, string.Join(Environment.NewLine, packs.Diagnostics));
        Assert.False(packs.HasErrors, string.Join("\n", packs.Diagnostics));
        var rules = CompiledRuleSet.Compile(packs.Packs);
        var tenant = Contoso();
        tenant.ForbiddenSubscriptions.Add(Dev);
        await using var harness = await CollectorHarness.StartAsync(tenant);
        harness.Fake.AddFault(new FakeFault(r => r.Path.EndsWith("/conditionalAccess/policies", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 403,
            ErrorCode = "Authorization_RequestDenied",
            ErrorMessage = "Insufficient privileges to complete the operation.",
        });

        var collected = await harness.CollectAsync(CollectionRequest.ForRules(rules));

        Assert.Equal("ok", collected.Scope("/subscriptions/" + Prod).Status);
        Assert.Equal("error", collected.Scope("/subscriptions/" + Dev).Status);
        Assert.Equal("error", collected.Scope("/tenants/" + TenantId).Status);

        var findings = new List<Finding>();
        using (var reader = SnapshotReader.Open(new MemoryStream(collected.Bytes), "collected.json"))
        {
            await foreach (var finding in new ScanEngine(TimeProvider.System).ScanAsync(reader, rules))
            {
                findings.Add(finding);
            }
        }

        Finding One(string ruleId, string resourceId) => Assert.Single(findings, f => f.RuleId == ruleId && f.ResourceId == resourceId);

        // The scopes that could not be read: one error each, with the remediation, never "compliant".
        var devError = One(ScanEngine.CollectionRuleId, "/subscriptions/" + Dev);
        Assert.Equal(Outcome.Error, devError.Outcome);
        Assert.Contains("403 on subscription", devError.Reason, StringComparison.Ordinal);
        Assert.Contains("needs Reader", devError.Reason, StringComparison.Ordinal);
        var directoryError = One(ScanEngine.CollectionRuleId, "/tenants/" + TenantId);
        Assert.Contains("grant application permission Policy.Read.All", directoryError.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.ResourceId.Contains(Dev, StringComparison.Ordinal) && f.RuleId != ScanEngine.CollectionRuleId);

        // The tenant-wide MFA policy count cannot be trusted without the policies: error, not fail.
        Assert.Equal(Outcome.Error, One("AZ-ACC-020", TenantId).Outcome);

        // What was read is evaluated as usual.
        Assert.Equal(Outcome.Fail, One("AZ-ENC-001", StorageAccountId(Prod, "stprod0")).Outcome);
        Assert.Equal(Outcome.Pass, One("AZ-ENC-001", StorageAccountId(Prod, "stprod1")).Outcome);
        Assert.Equal(Outcome.Fail, One("AZ-FW-020", SqlServer(Prod)).Outcome);
        Assert.Equal(Outcome.Pass, One("AZ-FW-020", SqlServer(Test)).Outcome);
        Assert.Equal(Outcome.Pass, One("AZ-ENC-010", SqlServer(Prod) + "/databases/db1").Outcome);
        Assert.Equal(Outcome.Fail, One("AZ-ENC-010", SqlServer(Test) + "/databases/db1").Outcome);
        Assert.Equal(Outcome.Pass, One("AZ-ACC-001", "/subscriptions/" + Prod).Outcome);
        Assert.Equal(Outcome.Fail, One("AZ-ACC-030", "u1").Outcome);
        // The directory could not be read completely (conditional access: 403): what passes there is not called compliant.
        var unconfirmed = One("AZ-ACC-030", "u2");
        Assert.Equal(Outcome.Error, unconfirmed.Outcome);
        Assert.Contains("passes on what was read", unconfirmed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.ResourceId == "u3");
    }

    [Fact]
    public void The_bundled_rules_need_Resource_Graph_ARM_children_and_Graph_collections()
    {
        var packs = RulePackLoader.Load(RulePackFiles.Read([Path.Combine(AppContext.BaseDirectory, "rules")]));
        Assert.False(packs.HasErrors, string.Join(Environment.NewLine, packs.Diagnostics));
        var plan = CollectionPlan.Create(CollectionRequest.RequiredTypes(CompiledRuleSet.Compile(packs.Packs)));

        Assert.Equal(
            ["resourcecontainers", "authorizationresources", "patchassessmentresources", "resources"],
            plan.Queries.Select(q => q.Table));
        Assert.Equal(
            [
                "Microsoft.DBforMySQL/flexibleServers/configurations", "Microsoft.DBforMySQL/flexibleServers/firewallRules",
                "Microsoft.DBforPostgreSQL/flexibleServers/configurations", "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
                "Microsoft.Sql/servers/administrators", "Microsoft.Sql/servers/databases/transparentDataEncryption", "Microsoft.Sql/servers/firewallRules", "Microsoft.Web/sites/config",
            ],
            plan.Children.Select(c => c.Type).Order(StringComparer.Ordinal));
        Assert.Equal("organization", plan.Datasets[0].Collection);
        Assert.Equal(
            ["applications", "conditionalAccessPolicies", "roleAssignments", "servicePrincipals", "userRegistrationDetails", "users"],
            plan.Datasets.Skip(1).Select(d => d.Collection).Order(StringComparer.Ordinal));
        Assert.Empty(plan.UnsupportedGraphTypes);
    }
}
