using Spectre.Console;

namespace Compliance.Cli.Output;

/// <summary>
/// Consoles for tables on any writer: colours only on a real terminal, a fixed width elsewhere. The
/// width is the terminal's; for a file or pipe it is <c>COLUMNS</c> when set, else 160; a test (or
/// <see cref="CliEnvironment.Width"/>) may fix it.
/// </summary>
internal static class PlainConsoles
{
    public const int DefaultWidth = 160;

    public static IAnsiConsole For(TextWriter writer, int? width = null)
    {
        if (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        {
            var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
            if (width is { } fixedWidth)
            {
                terminal.Profile.Width = fixedWidth;
            }

            return terminal;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width ?? Columns() ?? DefaultWidth;
        return console;
    }

    private static int? Columns() =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns is >= 40 and <= 1000 ? columns : null;
}
