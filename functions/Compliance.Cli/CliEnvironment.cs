namespace Compliance.Cli;

/// <summary>What a command writes to and reads the time from; tests give their own.</summary>
internal sealed record CliEnvironment(TextWriter Out, TextWriter Error, TimeProvider Time, bool ErrorIsTerminal)
{
    public static CliEnvironment FromConsole() =>
        new(Console.Out, Console.Error, TimeProvider.System, !Console.IsErrorRedirected);
}
