using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Compliance.Functions.Tests;

/// <summary>
/// `azd up` cannot run here: these check that azure.yaml names a service, paths and hooks that exist,
/// as azd reads them (Azure Developer CLI azure.yaml schema), and that the hook scripts are valid
/// shell that grants what it can and prints the commands for what it cannot.
/// </summary>
public sealed partial class DeployTests
{
    [Fact]
    public void Azure_yaml_names_the_Functions_project_the_template_and_hooks_that_exist()
    {
        var root = Yaml();
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Scalar(root, "name"));

        var infra = (YamlMappingNode)root["infra"];
        Assert.Equal("bicep", Scalar(infra, "provider"));
        Assert.True(File.Exists(RepoPaths.File(Scalar(infra, "path"), Scalar(infra, "module") + ".bicep")));
        Assert.True(File.Exists(RepoPaths.File(Scalar(infra, "path"), Scalar(infra, "module") + ".parameters.json")), "azd reads the parameters beside the module");

        var services = (YamlMappingNode)root["services"];
        var (serviceName, serviceNode) = Assert.Single(services.Children);
        var service = (YamlMappingNode)serviceNode;
        Assert.Equal(("function", "dotnet"), (Scalar(service, "host"), Scalar(service, "language")));
        var project = RepoPaths.File(Scalar(service, "project").TrimStart('.', '/'));
        var csproj = Assert.Single(Directory.GetFiles(project, "*.csproj"));
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", File.ReadAllText(csproj), StringComparison.Ordinal);

        // azd finds the Function App by its azd-service-name tag.
        Assert.Contains($"tags: {{ 'azd-service-name': '{((YamlScalarNode)serviceName).Value}' }}", File.ReadAllText(RepoPaths.File("infra", "main.bicep")), StringComparison.Ordinal);

        var hooks = (YamlMappingNode)root["hooks"];
        var run = Scalar((YamlMappingNode)((YamlMappingNode)hooks["postprovision"])["posix"], "run");
        var script = RepoPaths.File(run.TrimStart('.', '/'));
        Assert.True(File.Exists(script), $"{run} does not exist");
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{run} is not executable");
    }

    [Fact]
    public void The_parameter_file_takes_every_value_from_the_azd_environment()
    {
        using var parameters = JsonDocument.Parse(File.ReadAllText(RepoPaths.File("infra", "main.parameters.json")));
        foreach (var parameter in parameters.RootElement.GetProperty("parameters").EnumerateObject())
        {
            Assert.Matches(EnvironmentReference(), parameter.Value.GetProperty("value").GetString()!);
        }
    }

    [Fact]
    public async Task The_hook_scripts_are_valid_shell_and_pass_shellcheck_when_it_is_installed()
    {
        foreach (var script in Directory.GetFiles(RepoPaths.File("infra", "hooks"), "*.sh"))
        {
            var syntax = await RunAsync("sh", ["-n", script]);
            Assert.True(syntax.ExitCode == 0, $"sh -n {script}: {syntax.Error}");
            var bash = await RunAsync("bash", ["-n", script]);
            Assert.True(bash.ExitCode == 0, $"bash -n {script}: {bash.Error}");
            if (File.Exists("/usr/bin/shellcheck"))
            {
                var check = await RunAsync("/usr/bin/shellcheck", ["-s", "sh", script]);
                Assert.True(check.ExitCode == 0, $"shellcheck {script}:\n{check.Output}");
            }
        }
    }

    [Fact]
    public async Task Without_the_rights_the_hook_grants_nothing_and_prints_the_exact_commands()
    {
        var result = await RunHookAsync(allow: false);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Ask someone who has them to run:", result.Output, StringComparison.Ordinal);
        Assert.Contains("az role assignment create --assignee-object-id 6f1c4a0e-0c57-4b8e-9d62-3f2a1b0c9d8e --assignee-principal-type ServicePrincipal --role acdd72a7-3385-48ef-bd42-f606fba81ae7 --scope /providers/Microsoft.Management/managementGroups/mg-production", result.Output, StringComparison.Ordinal);
        foreach (var permission in new[] { "Organization.Read.All", "Policy.Read.All", "AuditLog.Read.All", "User.Read.All", "RoleManagement.Read.Directory", "Application.Read.All" })
        {
            Assert.Contains($"appRoles[?value=='{permission}'].id", result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("https://graph.microsoft.com/v1.0/servicePrincipals/6f1c4a0e-0c57-4b8e-9d62-3f2a1b0c9d8e/appRoleAssignments", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_rights_the_hook_assigns_Reader_and_grants_each_Graph_permission_once()
    {
        var result = await RunHookAsync(allow: true);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("Ask someone", result.Output, StringComparison.Ordinal);
        var calls = result.AzCalls;
        Assert.Single(calls, c => c.StartsWith("role assignment create", StringComparison.Ordinal) && c.Contains("--scope /providers/Microsoft.Management/managementGroups/mg-production", StringComparison.Ordinal));
        Assert.Equal(6, calls.Count(c => c.StartsWith("rest --method post --url https://graph.microsoft.com/v1.0/servicePrincipals/6f1c4a0e-0c57-4b8e-9d62-3f2a1b0c9d8e/appRoleAssignments", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")]
    private static partial Regex EnvironmentReference();

    private static YamlMappingNode Yaml()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepoPaths.File("azure.yaml")));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    /// <summary>The hook with `az` and `azd` replaced by stubs that record their arguments and allow or refuse every write.</summary>
    private static async Task<(int ExitCode, string Output, List<string> AzCalls)> RunHookAsync(bool allow)
    {
        var bin = Directory.CreateTempSubdirectory("compliance-hook-").FullName;
        try
        {
            var log = Path.Combine(bin, "az.log");
            var az = $$"""
                #!/bin/sh
                echo "$*" >> "{{log}}"
                case "$*" in
                  "ad sp show --id 00000003-0000-0000-c000-000000000000 --query id --output tsv") echo "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" ;;
                  "ad sp show --id 00000003-0000-0000-c000-000000000000 --query appRoles"*) echo "7ab1d382-f21e-4acd-a863-ba3e13f7da61" ;;
                  "rest --method get"*) echo "" ;;
                  *) {{(allow ? "exit 0" : "echo 'Forbidden' >&2; exit 1")}} ;;
                esac
                """;
            await File.WriteAllTextAsync(Path.Combine(bin, "az"), az.Replace("\r", string.Empty, StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(bin, "azd"), "#!/bin/sh\nexit 0\n");
            if (!OperatingSystem.IsWindows())
            {
                foreach (var tool in new[] { "az", "azd" })
                {
                    File.SetUnixFileMode(Path.Combine(bin, tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            var environment = new Dictionary<string, string>
            {
                ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["COMPLIANCE_IDENTITY_PRINCIPAL_ID"] = "6f1c4a0e-0c57-4b8e-9d62-3f2a1b0c9d8e",
                ["COMPLIANCE_HOME_TENANT_ID"] = "11111111-1111-1111-1111-111111111111",
                ["COMPLIANCE_SCAN_TENANT_ID"] = "11111111-1111-1111-1111-111111111111",
                ["COMPLIANCE_MANAGEMENT_GROUP"] = "mg-production",
            };
            var result = await RunAsync("sh", [RepoPaths.File("infra", "hooks", "postprovision.sh")], environment);
            var calls = File.Exists(log) ? (await File.ReadAllLinesAsync(log)).ToList() : [];
            return (result.ExitCode, result.Output + result.Error, calls);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
