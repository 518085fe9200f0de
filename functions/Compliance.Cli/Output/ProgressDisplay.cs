using Spectre.Console;

namespace Compliance.Cli.Output;

/// <summary>
/// A progress bar on standard error for work that takes longer than <see cref="CliEnvironment.ProgressDelay"/>
/// (two seconds): nothing for a quick scan, nothing when standard error is not a terminal (a pipe, a
/// CI log), and it clears itself when the work is done, so standard output stays clean.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs <paramref name="work"/>; <paramref name="progress"/> samples how far it is (done, and the total when known).</summary>
    public static async Task RunAsync(CliEnvironment env, string label, Func<(double Done, double? Total)> progress, Func<Task> work)
    {
        var running = work();
        if (!env.ErrorIsTerminal)
        {
            await running;
            return;
        }

        await Task.WhenAny(running, Task.Delay(env.ProgressDelay, env.Time));
        if (running.IsCompleted)
        {
            await running;
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(env.Error) });
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var (_, total) = progress();
                var task = ctx.AddTask(label, maxValue: total is > 0 ? total.Value : 100);
                task.IsIndeterminate = total is not > 0;
                while (!running.IsCompleted)
                {
                    var (done, max) = progress();
                    if (max is > 0)
                    {
                        task.MaxValue = max.Value;
                        task.Value = Math.Min(done, max.Value);
                    }
                    else
                    {
                        task.Description = $"{label} ({done:N0})";
                    }

                    await Task.WhenAny(running, Task.Delay(Refresh, env.Time));
                }

                task.Value = task.MaxValue;
            });
        await running;
    }
}
