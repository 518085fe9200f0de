using Compliance.Azure.Notifications;
using Compliance.Azure.Secrets;
using Compliance.Functions.Runs;
using Compliance.Functions.Scanning;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions;

/// <summary>
/// At start-up: the rule packs must load (an invalid pack stops the app, every problem named), and
/// each configured secret is read once — a missing secret or a denied vault is logged as an error
/// naming the vault and the secret. A secret problem does not stop the app: scans and the HTTP API
/// still work, and the run that needs the secret records the same error.
/// </summary>
internal sealed class StartupChecks(
    RuleCatalog catalog,
    ISecretSource secrets,
    IOptions<TeamsOptions> teams,
    IOptions<EvidenceSettings> evidence,
    ILogger<StartupChecks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("{Rules} rules from {Packs} pack(s) loaded", catalog.Rules.Rules.Count, catalog.Packs.Count);
        foreach (var (name, use) in new[] { (teams.Value.WebhookUrlSecret, "the Teams webhook URL"), (evidence.Value.SigningKeySecret, "the evidence-signing key") })
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                logger.LogWarning("No secret is configured for {Use}: {Consequence}", use, use.Contains("Teams", StringComparison.Ordinal) ? "alerts go to the log" : "evidence is not signed");
                continue;
            }

            try
            {
                await secrets.GetSecretAsync(name, cancellationToken);
                logger.LogInformation("Secret '{Secret}' ({Use}) is readable from {Source}", name, use, secrets.Description);
            }
            catch (SecretUnavailableException ex)
            {
                logger.LogError("Start-up check: {Use} cannot be read: {Error}", use, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
