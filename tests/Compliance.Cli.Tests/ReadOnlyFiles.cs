using System.Diagnostics;

namespace Compliance.Cli.Tests;

/// <summary>
/// Makes files and a folder impossible to write for the duration of a test: mode bits for an
/// ordinary user; for root, who ignores them, the immutable attribute (chattr +i). Fails the test
/// with the reason when neither is possible, rather than testing nothing.
/// </summary>
internal sealed class ReadOnlyFiles : IDisposable
{
    private readonly string[] _paths;
    private readonly bool _immutable;

    private ReadOnlyFiles(string[] paths, bool immutable)
    {
        _paths = paths;
        _immutable = immutable;
    }

    public static ReadOnlyFiles Make(params string[] paths)
    {
        // A pooled connection opened before would keep its write access: a new process has none.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var existing = paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToArray();
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("read-only files are made with Unix means here");
        }

        if (Environment.UserName != "root")
        {
            foreach (var path in existing)
            {
                File.SetUnixFileMode(path, Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
            }

            return new ReadOnlyFiles(existing, immutable: false);
        }

        foreach (var path in existing)
        {
            var (code, error) = Chattr("+i", path);
            Assert.True(code == 0, $"cannot make {path} read-only for root (chattr +i: {error}); run this test as an ordinary user or with CAP_LINUX_IMMUTABLE");
        }

        return new ReadOnlyFiles(existing, immutable: true);
    }

    public void Dispose()
    {
        foreach (var path in _paths.Reverse())
        {
            if (_immutable)
            {
                Chattr("-i", path);
            }
            else if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    private static (int Code, string Error) Chattr(string flag, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}
