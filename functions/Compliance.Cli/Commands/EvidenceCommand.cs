using System.CommandLine;
using Compliance.Reporting.Evidence;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance evidence verify DIR</c>: has anything in an evidence folder changed since it was exported?</summary>
internal static class EvidenceCommand
{
    public static Command Create(CliEnvironment env)
    {
        var evidence = new Command("evidence", "Work with exported evidence folders.");
        var directory = new Argument<string>("dir") { Description = "The evidence folder (written by 'compliance export csv')." };
        var key = CliOptions.SigningKeyFile();
        var verify = new Command("verify", "Check every file against manifest.json and the manifest's signature; any changed, missing or extra file or a bad signature fails (exit code 1).")
        {
            directory, key,
        };
        verify.SetAction(async (result, cancellationToken) =>
        {
            var dir = result.GetValue(directory)!;
            var report = await EvidenceVerifier.VerifyAsync(dir, CliServices.SigningKey(result.GetValue(key)), cancellationToken);
            if (!report.Verified)
            {
                foreach (var problem in report.Problems)
                {
                    env.Out.WriteLine(problem);
                }

                env.Out.WriteLine($"{dir}: NOT verified ({report.Problems.Count} problem(s)).");
                return ExitCodes.Findings;
            }

            var manifest = report.Manifest!;
            var how = manifest.Signature is { } signature
                ? $"signature valid (HMAC-SHA256, key {signature.KeyId})"
                : "not signed: the hashes show the files are unchanged, but only a signature shows who wrote them";
            env.Out.WriteLine($"{dir}: verified. Run {manifest.RunId} of tenant {manifest.TenantId}, {manifest.Files.Count} file(s) unchanged; {how}.");
            return ExitCodes.Success;
        });
        evidence.Add(verify);
        return evidence;
    }
}
