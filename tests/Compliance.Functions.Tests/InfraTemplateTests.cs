using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Compliance.Functions.Tests;

/// <summary>infra/main.bicep compiles with the Bicep CLI, without errors or linter warnings.</summary>
public sealed class InfraTemplateTests
{
    [Fact]
    public async Task The_deployment_template_builds_into_an_ARM_template_without_warnings()
    {
        var bicep = typeof(InfraTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(bicep), $"the Bicep compiler was not restored at {bicep}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", RepoPaths.File("infra", "main.bicep"), "--stdout" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await error);
        Assert.Equal(string.Empty, (await error).Trim());
        using var template = JsonDocument.Parse(await output);
        var resources = template.RootElement.GetProperty("resources");
        var types = (resources.ValueKind == JsonValueKind.Array
                ? resources.EnumerateArray()
                : resources.EnumerateObject().Select(p => p.Value))
            .Select(r => r.GetProperty("type").GetString())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Microsoft.Web/sites", types);
        Assert.Contains("Microsoft.KeyVault/vaults", types);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", types);
    }
}
