using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>
/// The bundled sample is what its generator writes from the well-known-ids table: a fact fixed in
/// the table (or a shape fixed in the generator) cannot stay wrong in a hand-edited sample.
/// </summary>
public sealed class SampleGeneratorTests
{
    [Fact]
    public async Task The_committed_sample_is_what_the_generator_writes()
    {
        var output = Path.Combine(Path.GetTempPath(), $"northwind-{Guid.NewGuid():N}.json");
        try
        {
            var start = new ProcessStartInfo("python3", [RepoPaths.File("samples", "generate-northwind-tenant.py"), output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            Process? process;
            try
            {
                process = Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                Assert.Fail($"python3 is needed to check samples/northwind-tenant.json against its generator: {ex.Message}");
                return;
            }

            using (process)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var stderr = process!.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                Assert.True(process.ExitCode == 0, $"the generator failed: {await stderr}");
            }

            var generated = JsonNode.Parse(await File.ReadAllTextAsync(output));
            var committed = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.File("samples", "northwind-tenant.json")));
            Assert.True(JsonNode.DeepEquals(generated, committed), "samples/northwind-tenant.json differs from what samples/generate-northwind-tenant.py writes; run `python3 samples/generate-northwind-tenant.py samples/northwind-tenant.json` and commit both");
        }
        finally
        {
            File.Delete(output);
        }
    }
}
