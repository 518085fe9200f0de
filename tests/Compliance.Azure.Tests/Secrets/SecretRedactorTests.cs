using Compliance.Azure.Secrets;

namespace Compliance.Azure.Tests.Secrets;

/// <summary>What must never be recorded: query strings of URLs, credential parameters, secret values.</summary>
public sealed class SecretRedactorTests
{
    // The shape of a Teams Workflows "HTTP POST URL" (Power Automate / Logic Apps manual trigger): the signature is the sig parameter.
    private const string Webhook = "https://prod-42.westeurope.logic.azure.com:443/workflows/5b0c9e2f/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zm9vYmFyLXNlY3JldA";

    [Theory]
    [InlineData("POST " + Webhook + " failed", "POST https://prod-42.westeurope.logic.azure.com:443/workflows/5b0c9e2f/triggers/manual/paths/invoke?[redacted] failed")]
    [InlineData("<a href=\"" + Webhook + "\">retry</a>", "<a href=\"https://prod-42.westeurope.logic.azure.com:443/workflows/5b0c9e2f/triggers/manual/paths/invoke?[redacted]\">retry</a>")]
    [InlineData("path /invoke&amp;sig=Zm9vYmFy&amp;x=1", "path /invoke&amp;sig=[redacted]&amp;x=1")]
    [InlineData("GET /api/runs?code=abc123== denied", "GET /api/runs?code=[redacted] denied")]
    [InlineData("403 on subscription 'Prod' (1111): AuthorizationFailed", "403 on subscription 'Prod' (1111): AuthorizationFailed")]
    [InlineData(null, "")]
    public void Query_strings_and_credential_parameters_are_taken_out(string? text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text));
    }

    [Fact]
    public void Secret_values_are_taken_out_plain_and_url_encoded()
    {
        const string key = "k3y/with+chars==";
        var text = $"signing key {key} or {Uri.EscapeDataString(key)} leaked";
        Assert.Equal("signing key [redacted] or [redacted] leaked", SecretRedactor.Redact(text, key));
    }
}
