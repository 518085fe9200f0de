using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Compliance.Cli;
using Microsoft.Data.Sqlite;

namespace Compliance.Benchmarks;

/// <summary>
/// The path users run, end to end: <c>compliance scan --format json</c> in a process of its own
/// (rule packs loaded, snapshot scanned, findings stored and finalised, the JSON written to a file),
/// with a fresh store, a second run against it, and <c>--store none</c>; the subscription and
/// suppression scaling cases; what the store holds per finding.
/// </summary>
internal static class EndToEnd
{
    public sealed record Run(double Seconds, double PeakMb, int ExitCode);

    /// <summary>In the child process: runs the CLI with standard output to a file, reports time and peak memory.</summary>
    public static async Task<int> ChildAsync(string output, string[] args)
    {
        var watch = Stopwatch.StartNew();
        int code;
        await using (var stdout = new StreamWriter(output, false, new UTF8Encoding(false), 1 << 16))
        {
            var env = new CliEnvironment(stdout, new StreamWriter(output + ".stderr"), TimeProvider.System, ErrorIsTerminal: false);
            code = await CliApp.RunAsync(args, env);
            await env.Error.FlushAsync();
            env.Error.Dispose();
        }

        Console.Write(JsonSerializer.Serialize(new Run(watch.Elapsed.TotalSeconds, Child.PeakMegabytes(), code)));
        return 0;
    }

    /// <summary>In the child process: streams every finding of a store's latest run (what exports and reports read), reports time and peak memory.</summary>
    public static async Task<int> ReadChildAsync(string store)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Reporting.Sqlite.SqliteStoreOptions { Path = store, ReadOnly = true });
        var reportStore = new Reporting.Sqlite.SqliteReportStore(options);
        var watch = Stopwatch.StartNew();
        var latest = (await reportStore.ListRunsAsync(new Reporting.Store.RunQuery { Order = Reporting.Store.RunOrder.LatestFinished, Limit = 1 }))[0];
        long count = 0;
        await foreach (var stored in reportStore.ReadFindingsAsync(new Reporting.Store.FindingQuery { RunId = latest.RunId }))
        {
            count += stored.Finding.Reason.Length > 0 ? 1 : 1;
        }

        Console.Write(JsonSerializer.Serialize(new Run(watch.Elapsed.TotalSeconds, Child.PeakMegabytes(), (int)Math.Min(count, int.MaxValue))));
        return 0;
    }

    /// <summary>
    /// Where the children write their JSON: in memory (/dev/shm) when there is one. At 1M resources
    /// the JSON is 3.4 GB a run; on a disk it is written back at the disk's pace while the store
    /// writes too, and the figures measure this machine's disk (325 MB/s here) instead of the scan.
    /// The store stays on disk, under --dir.
    /// </summary>
    public static string OutputPath(string dir) =>
        Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "compliance-e2e-out.json") : Path.Combine(dir, "e2e-out.json");

    /// <summary>Runs the CLI in a child process: the best time of <paramref name="runs"/> (each with fresh state from <paramref name="prepare"/>) and the median peak.</summary>
    public static Run Measure(string dir, int runs, Action? prepare, params string[] args)
    {
        var samples = new List<Run>();
        for (var r = 0; r < runs; r++)
        {
            prepare?.Invoke();
            Settle();
            var output = OutputPath(dir);
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                start.ArgumentList.Add(typeof(EndToEnd).Assembly.Location);
            }

            start.ArgumentList.Add("--child-cli");
            start.ArgumentList.Add(output);
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var run = JsonSerializer.Deserialize<Run>(text) ?? throw new InvalidOperationException(text);
            if (run.ExitCode is not (0 or 1))
            {
                throw new InvalidOperationException($"compliance {string.Join(' ', args)} exited {run.ExitCode}: {File.ReadAllText(output + ".stderr")}");
            }

            samples.Add(run);
        }

        var peaks = samples.Select(s => s.PeakMb).Order().ToList();
        return samples.MinBy(s => s.Seconds)! with { PeakMb = peaks[peaks.Count / 2] };
    }

    /// <summary>
    /// Writes out what earlier runs left in the page cache (a deleted 1.4 GB store, a 3.4 GB JSON) before
    /// a run starts, so that no run pays for the writeback of the one before it (`sync`, where there is one).
    /// </summary>
    private static void Settle()
    {
        if (!File.Exists("/bin/sync") && !File.Exists("/usr/bin/sync"))
        {
            return;
        }

        using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
        sync?.WaitForExit();
    }

    public static void DeleteStore(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// A store file's size and what its findings hold: their count, how many do not pass, and the
    /// bytes of their details (reason, evidence, suppression). SQLite's dbstat is not compiled into
    /// the bundled library, so the split per table is not measured.
    /// </summary>
    public static StoreBytes Measure(string store)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
        }

        return new StoreBytes(
            new FileInfo(store).Length + (File.Exists(store + "-wal") ? new FileInfo(store + "-wal").Length : 0),
            Scalar("SELECT COUNT(*) FROM findings"),
            Scalar("SELECT COUNT(*) FROM findings WHERE outcome <> 0"),
            Scalar("SELECT COALESCE(SUM(length(detail)), 0) FROM findings"));
    }

    public sealed record StoreBytes(long FileBytes, long Findings, long NotPassing, long DetailBytes);

    /// <summary>A suppressions file of <paramref name="count"/> entries for the failing findings of a --store none JSON output (padded with entries that match nothing).</summary>
    public static void WriteSuppressions(string findingsJson, string path, int count, DateTimeOffset expires)
    {
        var entries = new List<(string Rule, string Resource)>();
        using (var stream = File.OpenRead(findingsJson))
        using (var doc = JsonDocument.Parse(stream))
        {
            foreach (var f in doc.RootElement.EnumerateArray())
            {
                if (entries.Count == count)
                {
                    break;
                }

                if (f.GetProperty("outcome").GetString() == "fail")
                {
                    entries.Add((f.GetProperty("ruleId").GetString()!, f.GetProperty("resourceId").GetString()!));
                }
            }
        }

        for (var i = 0; entries.Count < count; i++)
        {
            entries.Add(("AZ-ENC-001", $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/none{i}"));
        }

        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("{\"suppressions\":[\n");
        for (var i = 0; i < entries.Count; i++)
        {
            var (rule, resource) = entries[i];
            writer.Write(i == 0 ? string.Empty : ",\n");
            writer.Write(JsonSerializer.Serialize(new
            {
                id = $"bench-{i}",
                ruleId = rule,
                resourceId = resource,
                justification = "Benchmark exception",
                owner = "bench@example.invalid",
                expiresOn = expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }));
        }

        writer.Write("\n]}\n");
    }
}
