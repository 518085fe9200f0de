using Compliance.Functions.Scanning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>A scope message that failed every attempt: the scope is recorded as failed, and the run still finalises.</summary>
public sealed class PoisonedScope(ScopeScanner scanner, ILogger<PoisonedScope> logger)
{
    [Function(nameof(PoisonedScope))]
    public async Task RunAsync([QueueTrigger(ScopeQueue.PoisonName)] string message, CancellationToken cancellationToken)
    {
        if (ScopeMessage.TryParse(message) is not { } scope)
        {
            logger.LogError("Dropped a message of {Queue} that is not a scope message ({Length} characters)", ScopeQueue.PoisonName, message?.Length ?? 0);
            return;
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = scope.RunId, ["ScopeId"] = scope.ScopeId }))
        {
            await scanner.RecordPoisonedAsync(scope, cancellationToken);
        }
    }
}
