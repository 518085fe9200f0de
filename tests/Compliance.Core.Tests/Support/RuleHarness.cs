using System.Text;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.Support;

/// <summary>Builds packs from JSON text and scans snapshots through the real loader and engine.</summary>
internal static class RuleHarness
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static RulePackInput Input(string json, string path = "test-pack.json", IReadOnlyDictionary<string, string>? fixtures = null) =>
        new(
            path,
            Encoding.UTF8.GetBytes(json),
            f => fixtures?.ContainsKey(f) ?? false,
            f => new MemoryStream(Encoding.UTF8.GetBytes(fixtures![f])));

    public static RulePackLoadResult Load(params string[] packs) =>
        RulePackLoader.Load(packs.Select((p, i) => Input(p, $"pack{i}.json")));

    /// <summary>A one-rule pack around a condition (and optional where) written as JSON.</summary>
    public static string Pack(string condition, string resourceType = "Test/things", string? where = null, string parameters = "{}", string ruleId = "T-001") => $$"""
        {
          "id": "test",
          "title": "Test pack",
          "version": "1.0.0",
          "parameters": {{parameters}},
          "rules": [ {
            "id": "{{ruleId}}",
            "title": "Test rule",
            "severity": "high",
            "category": "firewall",
            "resourceTypes": [ "{{resourceType}}" ],
            {{(where is null ? string.Empty : $"\"where\": {where},")}}
            "condition": {{condition}}
          } ]
        }
        """;

    public static CompiledRuleSet Compile(string packJson, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var loaded = Load(packJson);
        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        return CompiledRuleSet.Compile(loaded.Packs, overrides);
    }

    public static async Task<List<Finding>> ScanAsync(CompiledRuleSet rules, string snapshotJson, DateTimeOffset? asOf = null, TimeProvider? time = null, string source = "snapshot.json", bool seekable = true, bool passEvidence = false)
    {
        Stream stream = new MemoryStream(Encoding.UTF8.GetBytes(snapshotJson));
        if (!seekable)
        {
            stream = new ForwardOnlyStream(stream);
        }

        using var reader = SnapshotReader.Open(stream, source);
        var engine = new ScanEngine(time ?? new FakeTimeProvider(Now));
        var findings = new List<Finding>();
        await foreach (var finding in engine.ScanAsync(reader, rules, new ScanOptions { AsOf = asOf, PassEvidence = passEvidence }))
        {
            findings.Add(finding);
        }

        return findings;
    }

    public static string Snapshot(params string[] resources) =>
        "{\"schemaVersion\":1,\"tenantId\":\"t1\",\"resources\":[" + string.Join(",", resources) + "]}";

    /// <summary>A resource of type Test/things with the given properties JSON.</summary>
    public static string Thing(string properties, string name = "thing1", string extra = "") =>
        $$"""{"id":"/subscriptions/s1/resourceGroups/rg/providers/Test/things/{{name}}","name":"{{name}}","type":"Test/things"{{extra}},"properties":{{properties}}}""";

    /// <summary>Evaluates one condition on one resource's properties and returns the finding.</summary>
    public static async Task<Finding> EvaluateAsync(string condition, string properties, string parameters = "{}", string extra = "", DateTimeOffset? asOf = null, bool passEvidence = false)
    {
        var rules = Compile(Pack(condition, parameters: parameters));
        var findings = await ScanAsync(rules, Snapshot(Thing(properties, extra: extra)), asOf ?? Now, passEvidence: passEvidence);
        return Assert.Single(findings);
    }

    public static async Task<Outcome> OutcomeAsync(string condition, string properties, string parameters = "{}", string extra = "") =>
        (await EvaluateAsync(condition, properties, parameters, extra)).Outcome;

    /// <summary>A stream that cannot seek, like standard input or a network response.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
