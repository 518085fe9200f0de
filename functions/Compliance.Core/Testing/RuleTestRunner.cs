using System.Text;
using System.Text.Json;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Testing;

/// <summary>
/// Runs the fixtures inside rule packs through the same engine a scan uses, and checks that every
/// rule has at least one passing and one failing example.
/// </summary>
public sealed class RuleTestRunner(TimeProvider timeProvider)
{
    public async Task<RuleTestReport> RunAsync(IReadOnlyList<RulePack> packs, CancellationToken cancellationToken = default)
    {
        var results = new List<RuleTestResult>();
        foreach (var pack in packs)
        {
            foreach (var rule in pack.Rules)
            {
                foreach (var test in rule.Tests)
                {
                    results.Add(await RunOneAsync(pack, rule, test, cancellationToken).ConfigureAwait(false));
                }

                // A rule imported from Azure Policy is Microsoft's definition: its examples are welcome, not required.
                foreach (var expect in rule.Policy is null ? ["pass", "fail"] : Array.Empty<string>())
                {
                    if (!rule.Tests.Any(t => t.Expect == expect))
                    {
                        results.Add(new RuleTestResult(pack.Id, rule.Id, $"(has a '{expect}' example)", false,
                            $"rule {rule.Id} has no test that expects '{expect}': every rule needs a passing and a failing example", rule.Location));
                    }
                }
            }
        }

        return new RuleTestReport(results);
    }

    private async Task<RuleTestResult> RunOneAsync(RulePack pack, Rule rule, RuleTestCase test, CancellationToken cancellationToken)
    {
        RuleTestResult Result(bool passed, string message) => new(pack.Id, rule.Id, test.Name, passed, message, test.Location);

        byte[] snapshot;
        bool singleResource;
        try
        {
            (snapshot, singleResource) = await BuildSnapshotAsync(pack, test, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return Result(false, $"cannot read the fixture: {ex.Message}");
        }

        CompiledRuleSet compiled;
        try
        {
            var single = pack with { Rules = [rule] };
            compiled = CompiledRuleSet.Compile([single], _ => test.Parameters);
        }
        catch (RuleValidationException ex)
        {
            return Result(false, ex.Message);
        }

        var findings = new List<Finding>();
        try
        {
            using var reader = SnapshotReader.Open(new MemoryStream(snapshot), test.File ?? $"{pack.SourcePath} test '{test.Name}'", SnapshotFormat.Document);
            var engine = new ScanEngine(timeProvider);
            await foreach (var finding in engine.ScanAsync(reader, compiled, new ScanOptions { AsOf = test.AsOf }, cancellationToken).ConfigureAwait(false))
            {
                if (finding.RuleId == rule.Id)
                {
                    findings.Add(finding);
                }
            }
        }
        catch (SnapshotFormatException ex)
        {
            return Result(false, $"the fixture is not a valid snapshot: {ex.Message}");
        }

        var subjects = test.ResourceId is not null
            ? findings.Where(f => f.ResourceId.Equals(test.ResourceId, StringComparison.OrdinalIgnoreCase)).ToList()
            : findings;
        if (subjects.Count == 0)
        {
            var why = test.ResourceId is not null ? $"resource '{test.ResourceId}' got no finding" : "the rule applied to no resource";
            return test.Expect == "notApplicable"
                ? Result(true, why)
                : Result(false, $"expected {test.Expect}, but {why} (check resourceTypes, where and the fixture's type)");
        }

        if (test.Expect == "notApplicable")
        {
            return Result(false, $"expected the rule not to apply, but it gave {Describe(subjects[0])}");
        }

        var wrong = subjects.FirstOrDefault(f => f.Outcome.ToWire() != test.Expect);
        if (wrong is not null)
        {
            var which = singleResource ? string.Empty : $" on {wrong.ResourceId}";
            return Result(false, $"expected {test.Expect}, got {Describe(wrong)}{which}");
        }

        if (test.ReasonContains is not null)
        {
            var missing = subjects.FirstOrDefault(f => !f.Reason.Contains(test.ReasonContains, StringComparison.OrdinalIgnoreCase));
            if (missing is not null)
            {
                return Result(false, $"the reason does not contain '{test.ReasonContains}': {missing.Reason}");
            }
        }

        return Result(true, $"{test.Expect}: {subjects[0].Reason}");
    }

    private static string Describe(Finding finding) => $"{finding.Outcome.ToWire()} ({finding.Reason})";

    /// <summary>The test's input as a snapshot document, and whether it holds a single resource.</summary>
    private async Task<(byte[] Snapshot, bool Single)> BuildSnapshotAsync(RulePack pack, RuleTestCase test, CancellationToken cancellationToken)
    {
        if (test.Resource is not null)
        {
            return (await WrapAsync([test.Resource.Value.GetRawText()], cancellationToken).ConfigureAwait(false), true);
        }

        if (test.Resources is not null)
        {
            return (await WrapAsync(test.Resources.Select(r => r.GetRawText()), cancellationToken).ConfigureAwait(false), test.Resources.Count == 1);
        }

        if (pack.OpenFixture is null)
        {
            throw new IOException($"pack {pack.Id} was not loaded from files, so fixture '{test.File}' cannot be opened");
        }

        using var stream = pack.OpenFixture(test.File!);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            // A fixture saved with a byte order mark (PowerShell's default) reads like any other.
            bytes = bytes[3..];
        }

        if (test.File!.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (await WrapAsync(lines, cancellationToken).ConfigureAwait(false), lines.Length == 1);
        }

        using var document = JsonDocument.Parse(bytes);
        if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("resources", out var resources))
        {
            return (bytes, resources.GetArrayLength() == 1);
        }

        return (await WrapAsync([Encoding.UTF8.GetString(bytes)], cancellationToken).ConfigureAwait(false), true);
    }

    /// <summary>Raw resource JSON into a snapshot document through the one snapshot writer; values stay as written (dates stay strings).</summary>
    private async Task<byte[]> WrapAsync(IEnumerable<string> resources, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await using (var writer = await SnapshotWriter.StartAsync(output, SnapshotFormat.Document, timeProvider.GetUtcNow(), tenantId: null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var text in resources)
            {
                using var resource = JsonDocument.Parse(text);
                await writer.WriteAsync(resource.RootElement, null, SnapshotWriter.TypeMode.Keep, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(null, [], cancellationToken).ConfigureAwait(false);
        }

        return output.ToArray();
    }
}
