using System.Text;

namespace Compliance.Tests.Shared;

/// <summary>
/// Golden files: the approved output is checked in under TestData/Golden and compared byte for
/// byte. On a difference the received file is written to the temp folder and the first differing line is shown; set COMPLIANCE_APPROVE=1 to accept a deliberate change.
/// </summary>
internal static class Golden
{
    public static void Verify(string name, string actual)
    {
        var approvedPath = Path.Combine(RepoPaths.TestProject(), "TestData", "Golden", name);
        if (Environment.GetEnvironmentVariable("COMPLIANCE_APPROVE") == "1")
        {
            File.WriteAllText(approvedPath, actual, new UTF8Encoding(false));
            return;
        }

        var receivedPath = Path.Combine(Path.GetTempPath(), "compliance-golden", name.Replace(".approved.", ".received.", StringComparison.Ordinal));
        if (!File.Exists(approvedPath))
        {
            Write(receivedPath, actual);
            Assert.Fail($"No approved file {approvedPath}. Review {receivedPath}; if it is right, run the tests with COMPLIANCE_APPROVE=1.");
        }

        var approved = File.ReadAllText(approvedPath, Encoding.UTF8);
        if (approved == actual)
        {
            return;
        }

        Write(receivedPath, actual);
        var expectedLines = approved.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < Math.Min(expectedLines.Length, actualLines.Length) && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        Assert.Fail(
            $"{name} differs from the approved file at line {line + 1}:\n" +
            $"  approved: {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}\n" +
            $"  received: {(line < actualLines.Length ? actualLines[line] : "<end of file>")}\n" +
            $"Received file: {receivedPath}. If the change is deliberate, run the tests with COMPLIANCE_APPROVE=1 and review the diff.");
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
