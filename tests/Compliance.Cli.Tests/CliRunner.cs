using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRunner
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public static Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) => RunAtAsync(Now, null, args);

    /// <summary>Runs the CLI with its clock at <paramref name="now"/> (two scans a day apart, an expired suppression…).</summary>
    public static Task<(int ExitCode, string Out, string Error)> RunAtAsync(DateTimeOffset now, params string[] args) => RunAtAsync(now, null, args);

    /// <summary>Runs the CLI with changes to the live collectors' services (a fake credential, a loopback transport).</summary>
    public static Task<(int ExitCode, string Out, string Error)> RunAsync(Action<IServiceCollection>? configureCollectors, params string[] args) =>
        RunAtAsync(Now, configureCollectors, args);

    /// <summary>Runs the CLI with configuration settings under its options ("Store:Sqlite:BusyTimeout"), as COMPLIANCE_ variables would give them.</summary>
    public static Task<(int ExitCode, string Out, string Error)> RunWithSettingsAsync(IReadOnlyDictionary<string, string?> settings, DateTimeOffset now, params string[] args) =>
        RunAtAsync(now, null, args, settings);

    /// <summary>Runs the CLI as a terminal of <paramref name="width"/> columns would show it.</summary>
    public static Task<(int ExitCode, string Out, string Error)> RunAtWidthAsync(int width, params string[] args) => RunAtAsync(Now, null, args, null, width);

    private static async Task<(int ExitCode, string Out, string Error)> RunAtAsync(DateTimeOffset now, Action<IServiceCollection>? configureCollectors, string[] args, IReadOnlyDictionary<string, string?>? settings = null, int? width = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment(output, error, new FakeTimeProvider(now), ErrorIsTerminal: false, configureCollectors, settings) { Width = width };
        var code = await CliApp.RunAsync(args, env);
        return (code, output.ToString(), error.ToString());
    }
}
