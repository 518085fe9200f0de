namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>A request the fake received: the host the client addressed (before loopback routing), path, query and body.</summary>
public sealed record FakeRequest(string Method, string Host, string Path, string Query, string Body, string? Authorization)
{
    public bool IsResourceGraph => Path.StartsWith("/providers/Microsoft.ResourceGraph/", StringComparison.OrdinalIgnoreCase);

    public bool IsGraph => Path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase);

    public bool IsArm => !IsResourceGraph && !IsGraph;
}
