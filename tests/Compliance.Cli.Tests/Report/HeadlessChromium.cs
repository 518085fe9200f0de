using System.Diagnostics;
using System.Text;

namespace Compliance.Cli.Tests.Report;

/// <summary>
/// Debian's Chromium, driven directly in headless mode as a person's browser would open a file: the
/// DOM after the page's script ran (--dump-dom), or a screenshot. tests/run.sh installs the package;
/// COMPLIANCE_CHROMIUM names another binary. Each call has its own profile folder, no background
/// networking, and a bounded time; the browser is stopped by its process id if it overruns.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static string Binary =>
        Environment.GetEnvironmentVariable("COMPLIANCE_CHROMIUM") is { Length: > 0 } configured ? configured
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException("headless Chromium is needed to render the HTML report: apt-get install -y chromium (tests/run.sh installs it), or set COMPLIANCE_CHROMIUM");

    /// <summary>The page's DOM, serialised after its scripts ran.</summary>
    public static async Task<string> DumpDomAsync(string htmlFile)
    {
        var (output, error, code) = await RunAsync(["--dump-dom", new Uri(htmlFile).AbsoluteUri]);
        Assert.True(code == 0 && output.Length > 0, $"chromium --dump-dom exited {code}: {error}");
        return output;
    }

    /// <summary>A PNG of the page's first <paramref name="height"/> pixels at 1280 pixels wide.</summary>
    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width = 1280, int height = 2400)
    {
        var (_, error, code) = await RunAsync([$"--screenshot={pngFile}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri]);
        Assert.True(code == 0 && File.Exists(pngFile), $"chromium --screenshot exited {code}: {error}");
    }

    private static async Task<(string Out, string Error, int Code)> RunAsync(string[] arguments)
    {
        var profile = Path.Combine(Path.GetTempPath(), "compliance-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--no-default-browser-check", $"--user-data-dir={profile}",
                 }.Concat(arguments))
        {
            start.ArgumentList.Add(flag);
        }

        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within {Timeout.TotalSeconds} s: {string.Join(' ', arguments)}");
            }

            return (await output, await error, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A crashed browser may leave a lock file behind for a moment; the temp folder is cleaned anyway.
            }
        }
    }
}
