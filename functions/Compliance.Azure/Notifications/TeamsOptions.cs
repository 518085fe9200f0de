namespace Compliance.Azure.Notifications;

/// <summary>The Teams Workflows webhook (section "Teams").</summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>
    /// The name of the secret holding the webhook URL of the Teams workflow ("When a Teams webhook
    /// request is received"). The URL carries a signature: it lives in Key Vault, never in settings.
    /// Empty: no Teams alerts (they go to the log).
    /// </summary>
    public string? WebhookUrlSecret { get; set; } = "teams-webhook-url";

    /// <summary>At most this many POSTs of one card: the first, then one after each 429 Too Many Requests.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest Retry-After honoured; a longer one gives up (and the failure is recorded on the run).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The wait after a 429 that carries no Retry-After.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrlSecret);
}
