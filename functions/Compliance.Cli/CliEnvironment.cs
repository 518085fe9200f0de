using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli;

/// <summary>What a command writes to and reads the time from; tests give their own.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error: progress, logs and messages.</param>
/// <param name="Time">The clock.</param>
/// <param name="ErrorIsTerminal">Whether standard error is a terminal (progress bars).</param>
/// <param name="ConfigureCollectors">
/// Changes to the live collectors' services (tests register a fake credential and a loopback transport).
/// </param>
/// <param name="Settings">Configuration keys for the services ("Store:Sqlite:BusyTimeout"), under the command's own options: tests set them.</param>
internal sealed record CliEnvironment(TextWriter Out, TextWriter Error, TimeProvider Time, bool ErrorIsTerminal, Action<IServiceCollection>? ConfigureCollectors = null, IReadOnlyDictionary<string, string?>? Settings = null)
{
    /// <summary>The width readable output is fitted to; null: the terminal's (or COLUMNS, or 160 for a file or pipe).</summary>
    public int? Width { get; init; }

    /// <summary>How long a scan or collection runs before a progress bar appears on standard error (when it is a terminal).</summary>
    public TimeSpan ProgressDelay { get; init; } = TimeSpan.FromSeconds(2);

    public static CliEnvironment FromConsole() =>
        new(Console.Out, Console.Error, TimeProvider.System, !Console.IsErrorRedirected);
}
