namespace Compliance.Azure.Collectors;

/// <summary>
/// The HTTP handler under every collector request (Resource Graph, ARM and Microsoft Graph) and the
/// Log Analytics export's (Logs Ingestion API). Only
/// register one to route traffic elsewhere — tests route the https endpoints to loopback fakes, a
/// proxy-bound host may add a proxy; without it the platform's default handler is used.
/// </summary>
/// <param name="Handler">Shared by all clients and not disposed by them.</param>
public sealed record CollectorTransport(HttpMessageHandler Handler);
