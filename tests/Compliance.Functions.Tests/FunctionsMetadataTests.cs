using System.Text.Json.Nodes;

namespace Compliance.Functions.Tests;

/// <summary>What the build gives the Functions host: functions.metadata with every trigger, and host.json beside it.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void The_build_output_declares_the_timer_queue_and_http_triggers()
    {
        var output = FunctionsOutput();
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")))!.AsArray();
        var bindings = metadata.ToDictionary(
            f => f!["name"]!.GetValue<string>(),
            f => f!["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList());

        JsonObject Trigger(string function) => Assert.Single(bindings[function], b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

        Assert.Equal(("timerTrigger", "%ScanSchedule%"), (Trigger("ScheduledScan")["type"]!.GetValue<string>(), Trigger("ScheduledScan")["schedule"]!.GetValue<string>()));
        var output0 = Assert.Single(bindings["ScheduledScan"], b => b["type"]!.GetValue<string>() == "queue");
        Assert.Equal("compliance-scopes", output0["queueName"]!.GetValue<string>());
        Assert.Equal("timerTrigger", Trigger("SweepRuns")["type"]!.GetValue<string>());
        Assert.Equal(("queueTrigger", "compliance-scopes"), (Trigger("ScopeScan")["type"]!.GetValue<string>(), Trigger("ScopeScan")["queueName"]!.GetValue<string>()));
        Assert.Equal(("queueTrigger", "compliance-scopes-poison"), (Trigger("PoisonedScope")["type"]!.GetValue<string>(), Trigger("PoisonedScope")["queueName"]!.GetValue<string>()));
        foreach (var (name, route) in new[] { ("ListRuns", "runs"), ("GetRun", "runs/{runId}"), ("ListFindings", "runs/{runId}/findings"), ("DownloadEvidence", "runs/{runId}/evidence/{file}"), ("GetReport", "runs/{runId}/report") })
        {
            var http = Trigger(name);
            Assert.Equal(("httpTrigger", route, "Function"), (http["type"]!.GetValue<string>(), http["route"]!.GetValue<string>(), http["authLevel"]!.GetValue<string>()));
            Assert.Equal(["get"], http["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()));
        }

        Assert.True(File.Exists(Path.Combine(output, "host.json")), "host.json is linked into the build output");
        Assert.True(File.Exists(Path.Combine(output, "rules", "firewall.json")), "the built-in rule packs travel with the app");
    }

    /// <summary>The Functions project's bin folder of the same configuration as this test build.</summary>
    private static string FunctionsOutput()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var output = RepoPaths.File("functions", "Compliance.Functions", "bin", configuration, framework);
        Assert.True(File.Exists(Path.Combine(output, "functions.metadata")), $"no functions.metadata in {output}: build functions/Compliance.Functions first");
        return output;
    }
}
