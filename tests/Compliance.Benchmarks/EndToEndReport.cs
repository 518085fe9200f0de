namespace Compliance.Benchmarks;

/// <summary>Prints the end-to-end figures and their ratios against the targets of issue 10.</summary>
internal static class EndToEndReport
{
    public static void Run(string dir, string rules, int runs, int[] sizes, int[] subscriptions, int suppressions)
    {
        Console.WriteLine();
        Console.WriteLine("End to end: 'compliance scan --format json' as users run it (rule packs loaded, the JSON written to a file), each run a process of its own;");
        Console.WriteLine($"best time of {runs}, median peak memory (VmHWM). 'fresh' starts from no store file, 'second' scans the same snapshot again into it.");
        Console.WriteLine($"The JSON goes to {EndToEnd.OutputPath(dir)}, the stores to {dir}.");
        Console.WriteLine();
        Console.WriteLine($"{"resources",9} | {"none s",7} {"peak MB",7} | {"fresh s",7} {"peak MB",7} | {"second s",8} {"peak MB",7} | {"fresh/none",10} {"second/none",11} | {"store MB",8} {"B/pass",6} {"B/fail",6} {"B/finding 2nd",13}");
        var peaks = new List<(int Size, double Peak, double None)>();
        foreach (var size in sizes)
        {
            var snapshot = Snapshot(dir, size, 50);
            var store = Path.Combine(dir, $"e2e-{size}.db");
            string[] Scan(string s) => ["scan", "--snapshot", snapshot, "--rules", rules, "--store", s, "--format", "json", "--retention-days", "100000"];
            var none = EndToEnd.Measure(dir, runs, null, Scan("none"));
            var fresh = EndToEnd.Measure(dir, runs, () => EndToEnd.DeleteStore(store), Scan(store));
            var first = EndToEnd.Measure(store);
            var second = EndToEnd.Measure(dir, runs, () => { EndToEnd.DeleteStore(store); EndToEnd.Measure(dir, 1, null, Scan(store)); }, Scan(store));
            var after = EndToEnd.Measure(store);
            var (pass, fail) = PerFinding(first);
            var growth = (after.FileBytes - first.FileBytes) / (double)Math.Max(1, after.Findings - first.Findings);
            Console.WriteLine(
                $"{size,9} | {none.Seconds,7:0.000} {none.PeakMb,7:0.0} | {fresh.Seconds,7:0.000} {fresh.PeakMb,7:0.0} | {second.Seconds,8:0.000} {second.PeakMb,7:0.0} | " +
                $"{fresh.Seconds / none.Seconds,10:0.00} {second.Seconds / none.Seconds,11:0.00} | {first.FileBytes / 1048576.0,8:0.0} {pass,6:0} {fail,6:0} {growth,13:0}");
            Console.WriteLine($"          {first.Findings} findings ({first.NotPassing} not passing); targets: fresh/none ≤ 2.00, second/none ≤ 2.50, ≤ 120 B per passing and ≤ 1536 B per failing finding");
            Console.WriteLine($"          after the first run: {first.FileBytes / (double)first.Findings:0} B per finding overall; details (reason, evidence) {first.DetailBytes / (double)Math.Max(1, first.NotPassing):0} B per finding that does not pass");
            peaks.Add((size, Math.Max(fresh.PeakMb, second.PeakMb), none.PeakMb));
        }

        if (peaks.Count >= 2)
        {
            Console.WriteLine($"Peak memory end to end, {peaks[^1].Size} vs {peaks[0].Size} resources (finalisation included): {peaks[^1].Peak / peaks[0].Peak:0.00} (target ≤ 1.30); " +
                              $"with --store none {peaks[^1].None / peaks[0].None:0.00} (what the engine keeps for related conditions); " +
                              $"the store adds {peaks[0].Peak - peaks[0].None:0} MB at {peaks[0].Size} and {peaks[^1].Peak - peaks[^1].None:0} MB at {peaks[^1].Size}");
        }

        if (subscriptions.Length == 2)
        {
            Console.WriteLine();
            var times = new List<double>();
            foreach (var count in subscriptions)
            {
                // Ten resources per subscription: the tenant grows with its subscriptions.
                var snapshot = Snapshot(dir, count * 10, count);
                var store = Path.Combine(dir, $"e2e-subs-{count}.db");
                string[] Scan() => ["scan", "--snapshot", snapshot, "--rules", rules, "--store", store, "--format", "json"];
                var fresh = EndToEnd.Measure(dir, runs, () => EndToEnd.DeleteStore(store), Scan());
                var second = EndToEnd.Measure(dir, runs, () => { EndToEnd.DeleteStore(store); EndToEnd.Measure(dir, 1, null, Scan()); }, Scan());
                times.Add(fresh.Seconds + second.Seconds);
                Console.WriteLine($"{count,5} subscriptions, {count * 10} resources: fresh {fresh.Seconds:0.000} s, second {second.Seconds:0.000} s");
            }

            Console.WriteLine($"{subscriptions[1]} vs {subscriptions[0]} subscriptions: {times[1] / times[0]:0.00}× the time for {subscriptions[1] / (double)subscriptions[0]:0}× the subscriptions and resources (target ≤ 10×)");
        }

        if (suppressions > 0)
        {
            Console.WriteLine();
            var size = sizes[0];
            var snapshot = Snapshot(dir, size, 50);
            var file = Path.Combine(dir, $"suppressions-{suppressions}.json");
            var output = EndToEnd.OutputPath(dir);
            EndToEnd.Measure(dir, 1, null, "scan", "--snapshot", snapshot, "--rules", rules, "--store", "none", "--format", "json");
            EndToEnd.WriteSuppressions(output, file, suppressions, DateTimeOffset.UtcNow.AddDays(180));
            var empty = Path.Combine(dir, "suppressions-none.json");
            File.WriteAllText(empty, "{\"suppressions\":[]}");
            var store = Path.Combine(dir, "e2e-suppressions.db");
            string[] Scan(string with) => ["scan", "--snapshot", snapshot, "--rules", rules, "--store", store, "--format", "json", "--suppressions", with];
            // Alternated, so that both see the same machine: the best of each.
            var pairs = Enumerable.Range(0, runs)
                .Select(_ => (Without: EndToEnd.Measure(dir, 1, () => EndToEnd.DeleteStore(store), Scan(empty)), With: EndToEnd.Measure(dir, 1, () => EndToEnd.DeleteStore(store), Scan(file))))
                .ToList();
            var without = pairs.Select(p => p.Without).MinBy(r => r.Seconds)!;
            var with = pairs.Select(p => p.With).MinBy(r => r.Seconds)!;
            Console.WriteLine($"{size} resources, fresh store: no suppressions {without.Seconds:0.000} s, {suppressions} suppressions {with.Seconds:0.000} s: {(with.Seconds / without.Seconds - 1) * 100:+0;-0}% (target ≤ 20%)");
        }
    }

    /// <summary>
    /// Bytes per passing and per failing finding after one run: a pass is charged everything but the
    /// details (its row, its share of resources, states, rules, indexes and free space: an upper
    /// bound); a failing finding that and its own detail.
    /// </summary>
    private static (double Pass, double Fail) PerFinding(EndToEnd.StoreBytes bytes)
    {
        var n = Math.Max(1, bytes.Findings);
        var pass = (bytes.FileBytes - bytes.DetailBytes) / (double)n;
        return (pass, pass + bytes.DetailBytes / (double)Math.Max(1, bytes.NotPassing));
    }

    private static string Snapshot(string dir, int size, int subscriptions)
    {
        var file = Path.Combine(dir, subscriptions == 50 ? $"tenant-{size}.json" : $"tenant-{size}-{subscriptions}subs.json");
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"Generating {file} …");
            SyntheticTenant.Write(file, size, subscriptions);
        }

        return file;
    }
}
