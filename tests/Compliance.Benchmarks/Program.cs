using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Compliance.Benchmarks;
using Compliance.Core.Evaluation;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;

// Scan benchmark. Each measurement runs in its own process, so that its peak memory is its own.
//   dotnet run -c Release --project tests/Compliance.Benchmarks [-- --sizes 10000,100000 --runs 3]
//   … -- --only e2e --e2e-sizes 100000,1000000      the path users run, at 100k and 1M resources
if (args.Length > 0 && args[0] == "--child")
{
    return await Child.RunAsync(args[1], args[2], args[3], args[4]);
}

if (args.Length > 0 && args[0] == "--child-cli")
{
    return await EndToEnd.ChildAsync(args[1], args[2..]);
}

if (args.Length > 0 && args[0] == "--child-read")
{
    return await EndToEnd.ReadChildAsync(args[1]);
}

var sizes = Option("--sizes", "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var runs = int.Parse(Option("--runs", "3"), CultureInfo.InvariantCulture);
var dir = Option("--dir", Path.Combine(Path.GetTempPath(), "compliance-bench"));
var rules = Option("--rules", Path.Combine(AppContext.BaseDirectory, "rules"));
var only = Option("--only", "all");
Directory.CreateDirectory(dir);

var packs = RulePackLoader.Load(RulePackFiles.Read([rules])).PacksOrThrow();
Console.WriteLine($"Rules: {packs.Sum(p => p.Rules.Count)} rules in {packs.Count} packs ({rules})");
Console.WriteLine($"Runs per measurement: {runs}, each a separate process (best time, median peak memory).");
Console.WriteLine("parse = read every resource of the snapshot (the engine's own reader), nothing else;");
Console.WriteLine("scan  = the same read plus every bundled rule, findings with evidence produced (counted, not stored);");
Console.WriteLine("scan+write = scan, the findings also written to a file by the writer of compliance scan --format json (one per line).");
Console.WriteLine("Times exclude process start and loading the rule packs (shown apart); 'warm' is a second scan in the same process.");
Console.WriteLine();

var results = new List<(int Size, long Bytes, Measurement Parse, Measurement Scan, Measurement Write)>();
foreach (var size in only is "all" or "engine" ? sizes : [])
{
    var file = Path.Combine(dir, $"tenant-{size}.json");
    if (!File.Exists(file))
    {
        Console.Error.WriteLine($"Generating {file} …");
        SyntheticTenant.Write(file, size);
    }

    results.Add((size, new FileInfo(file).Length, Measure("parse", file, rules, dir, runs), Measure("scan", file, rules, dir, runs), Measure("scan-write", file, rules, dir, runs)));
}

Console.WriteLine($"{"resources",9} {"MB",6} | {"parse s",7} {"res/s",8} {"peak MB",7} | {"scan s",7} {"res/s",8} {"peak MB",7} {"warm s",7} {"load s",6} | {"+write s",8} {"peak MB",7} | {"findings",8}");
foreach (var (size, bytes, parse, scan, write) in results)
{
    Console.WriteLine(
        $"{size,9} {bytes / 1048576.0,6:0.0} | {parse.Seconds,7:0.000} {size / parse.Seconds,8:0} {parse.PeakMb,7:0.0} | " +
        $"{scan.Seconds,7:0.000} {size / scan.Seconds,8:0} {scan.PeakMb,7:0.0} {scan.WarmSeconds,7:0.000} {scan.LoadSeconds,6:0.000} | " +
        $"{write.Seconds,8:0.000} {write.PeakMb,7:0.0} | {scan.Findings,8}");
}

Console.WriteLine();
foreach (var (size, _, parse, scan, write) in results)
{
    Console.WriteLine($"{size} resources: scan/parse = {scan.Seconds / parse.Seconds:0.00} (target ≤ 1.50); warm scan/parse = {scan.WarmSeconds / parse.WarmSeconds:0.00}; scan+write/parse = {write.Seconds / parse.Seconds:0.00}");
}

foreach (var (size, _, _, scan, write) in results)
{
    Console.WriteLine($"{size} resources: writing the findings costs {(write.Seconds / scan.Seconds - 1) * 100:0}% on top of the scan (scan+write {write.Seconds:0.000} s against scan {scan.Seconds:0.000} s; target ≤ 30%)");
}

if (results.Count >= 2)
{
    var small = results[0];
    var large = results[^1];
    Console.WriteLine($"Peak memory {large.Size} vs {small.Size} resources: scan {large.Scan.PeakMb / small.Scan.PeakMb:0.00} (target ≤ 1.30), scan+write {large.Write.PeakMb / small.Write.PeakMb:0.00}, parse {large.Parse.PeakMb / small.Parse.PeakMb:0.00}");
}

if (only is "all" or "e2e")
{
    EndToEndReport.Run(dir, rules, runs, Option("--e2e-sizes", "100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
        Option("--subscriptions", "1000,8000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
        int.Parse(Option("--suppressions", "46000"), CultureInfo.InvariantCulture));
}

return 0;

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static Measurement Measure(string mode, string file, string rules, string dir, int runs)
{
    var samples = new List<Measurement>();
    for (var r = 0; r < runs; r++)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Child).Assembly.Location);
        }

        // The findings go where the end-to-end children write theirs (in memory when there is /dev/shm).
        var output = Path.Combine(Path.GetDirectoryName(EndToEnd.OutputPath(dir))!, $"compliance-findings-{mode}.jsonl");
        foreach (var a in new[] { "--child", mode, file, rules, output })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{mode} run failed ({process.ExitCode}): {text}");
        }

        samples.Add(JsonSerializer.Deserialize<Measurement>(text)!);
    }

    var peaks = samples.Select(s => s.PeakMb).Order().ToList();
    return samples.MinBy(s => s.Seconds)! with { PeakMb = peaks[peaks.Count / 2], WarmSeconds = samples.Min(s => s.WarmSeconds) };
}

internal sealed record Measurement(double Seconds, double WarmSeconds, double LoadSeconds, double PeakMb, long Resources, long Findings);

internal static class Child
{
    public static async Task<int> RunAsync(string mode, string file, string rulesDir, string output)
    {
        var load = Stopwatch.StartNew();
        CompiledRuleSet? rules = null;
        if (mode != "parse")
        {
            rules = CompiledRuleSet.Compile(RulePackLoader.Load(RulePackFiles.Read([rulesDir])).PacksOrThrow());
        }

        load.Stop();
        var first = await OnceAsync(mode, file, rules, output);
        var peak = PeakMegabytes();
        var second = await OnceAsync(mode, file, rules, output);
        Console.Write(JsonSerializer.Serialize(new Measurement(first.Seconds, second.Seconds, load.Elapsed.TotalSeconds, peak, first.Resources, first.Findings)));
        return 0;
    }

    private static async Task<(double Seconds, long Resources, long Findings)> OnceAsync(string mode, string file, CompiledRuleSet? rules, string output)
    {
        long resources = 0, findings = 0;
        var watch = Stopwatch.StartNew();
        using var reader = SnapshotReader.OpenFile(file);
        if (rules is null)
        {
            await foreach (var resource in reader.ReadResourcesAsync())
            {
                resources++;
                resource.Dispose();
            }

            return (watch.Elapsed.TotalSeconds, resources, 0);
        }

        var engine = new ScanEngine(TimeProvider.System);
        if (mode == "scan")
        {
            await foreach (var finding in engine.ScanAsync(reader, rules))
            {
                findings += finding.Evidence.Count >= 0 ? 1 : 0;
            }
        }
        else
        {
            // The writer 'compliance scan --format json' uses, into a file as --out and the e2e child do.
            await using var jsonFile = new StreamWriter(output, false, new System.Text.UTF8Encoding(false), 1 << 16);
            using var writer = new Compliance.Cli.Output.FindingsJsonWriter(jsonFile);
            await foreach (var finding in engine.ScanAsync(reader, rules))
            {
                writer.Write(new Compliance.Reporting.Store.StoredFinding(finding, Compliance.Reporting.Store.FindingScopes.ScopeOf(finding, reader.Header.TenantId ?? "unknown")));
                findings++;
            }

            writer.Close();
        }

        return (watch.Elapsed.TotalSeconds, reader.ResourcesRead, findings);
    }

    public static double PeakMegabytes()
    {
        // VmHWM is the peak resident set size of this process so far.
        foreach (var line in File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status") : [])
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }
}
