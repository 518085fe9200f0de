using Compliance.Functions.Scanning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>
/// Scans one scope of a run per queue message. A failure throws: the host retries the message and,
/// after host.json's maxDequeueCount, moves it to the poison queue, where <see cref="PoisonedScope"/>
/// records the scope as failed.
/// </summary>
public sealed class ScopeScan(ScopeScanner scanner, ILogger<ScopeScan> logger)
{
    [Function(nameof(ScopeScan))]
    public async Task RunAsync([QueueTrigger(ScopeQueue.Name)] string message, CancellationToken cancellationToken)
    {
        if (ScopeMessage.TryParse(message) is not { } scope)
        {
            logger.LogError("Dropped a message of {Queue} that is not a scope message ({Length} characters)", ScopeQueue.Name, message?.Length ?? 0);
            return;
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = scope.RunId, ["ScopeId"] = scope.ScopeId }))
        {
            await scanner.ScanAsync(scope, cancellationToken);
        }
    }
}
