namespace Compliance.Tests.Shared;

/// <summary>Files of the repository and of the running test project, found from the test's output folder.</summary>
internal static class RepoPaths
{
    /// <summary>A path under the repository root (the folder that holds Compliance.sln).</summary>
    public static string File(params string[] parts) => Path.Combine([Root(), .. parts]);

    private static string Root() => Ancestor(dir => System.IO.File.Exists(Path.Combine(dir.FullName, "Compliance.sln")), "Compliance.sln");

    /// <summary>The folder of the running test project (the nearest one above the output that holds a .csproj).</summary>
    public static string TestProject() => Ancestor(dir => dir.EnumerateFiles("*.csproj").Any(), "the test project's .csproj");

    private static string Ancestor(Func<DirectoryInfo, bool> holds, string what)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !holds(dir))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, $"no folder above {AppContext.BaseDirectory} holds {what}");
        return dir!.FullName;
    }
}
