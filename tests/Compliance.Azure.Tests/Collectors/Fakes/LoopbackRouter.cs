namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>
/// The transport of the tests: every https request the SDKs make goes to the fake on 127.0.0.1,
/// with the Host header kept so the fake knows which service was addressed. Nothing leaves loopback.
/// </summary>
public sealed class LoopbackRouter(int port) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 })
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri!;
        request.Headers.Host = original.Authority;
        request.RequestUri = new UriBuilder(original) { Scheme = Uri.UriSchemeHttp, Host = "127.0.0.1", Port = port }.Uri;
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = original;
        }
    }
}
