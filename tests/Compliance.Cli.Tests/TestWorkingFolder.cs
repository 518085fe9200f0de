using System.Runtime.CompilerServices;

namespace Compliance.Cli.Tests;

/// <summary>
/// The CLI's defaults are relative to the current folder (the store is .compliance/compliance.db):
/// the tests run in a fresh temporary folder, so a store left by an earlier build (an older schema)
/// never changes what they see, and nothing is written next to the test binaries.
/// </summary>
internal static class TestWorkingFolder
{
    [ModuleInitializer]
    internal static void Enter()
    {
        var folder = Directory.CreateTempSubdirectory("compliance-cli-tests-").FullName;
        Directory.SetCurrentDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.SetCurrentDirectory(Path.GetTempPath());
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temporary-folder cleanup.
            }
        };
    }
}
