using Compliance.Azure.Tests.Collectors.Fakes;

namespace Compliance.Functions.Tests.Support;

/// <summary>
/// The app's one transport in tests that export to Log Analytics: requests to a data collection
/// endpoint (*.ingest.monitor.azure.com) go to the loopback Logs Ingestion fake, everything else to the
/// loopback Azure fake — https as the clients require, the Host header kept.
/// </summary>
internal sealed class IngestionRouter(int azurePort, int ingestionPort) : DelegatingHandler
{
    private readonly HttpMessageInvoker _azure = new(new LoopbackRouter(azurePort));
    private readonly HttpMessageInvoker _ingestion = new(new LoopbackRouter(ingestionPort));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        (request.RequestUri!.Host.EndsWith(".ingest.monitor.azure.com", StringComparison.OrdinalIgnoreCase) ? _ingestion : _azure).SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _azure.Dispose();
            _ingestion.Dispose();
        }

        base.Dispose(disposing);
    }
}
