using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>
/// The one JSON document of a finding, written by the CLI (stdout, findings.json), the HTTP API and
/// the exports alike: camelCase names in a fixed order, lower-case enum values, UTC times
/// (<see cref="IsoTime"/>), nulls omitted (a finding's <c>message</c> follows its <c>reason</c>), then the run's context (historyStatus, scopeId, carried).
/// </summary>
public static class FindingJson
{
    private static readonly JsonEncodedText FindingIdName = JsonEncodedText.Encode("findingId");
    private static readonly JsonEncodedText RuleIdName = JsonEncodedText.Encode("ruleId");
    private static readonly JsonEncodedText RuleTitleName = JsonEncodedText.Encode("ruleTitle");
    private static readonly JsonEncodedText PackIdName = JsonEncodedText.Encode("packId");
    private static readonly JsonEncodedText PackVersionName = JsonEncodedText.Encode("packVersion");
    private static readonly JsonEncodedText ResourceIdName = JsonEncodedText.Encode("resourceId");
    private static readonly JsonEncodedText ResourceNameName = JsonEncodedText.Encode("resourceName");
    private static readonly JsonEncodedText ResourceTypeName = JsonEncodedText.Encode("resourceType");
    private static readonly JsonEncodedText LocationName = JsonEncodedText.Encode("location");
    private static readonly JsonEncodedText SubscriptionIdName = JsonEncodedText.Encode("subscriptionId");
    private static readonly JsonEncodedText TagsName = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText OutcomeName = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText CategoryName = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText EvidenceName = JsonEncodedText.Encode("evidence");
    private static readonly JsonEncodedText PathName = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText ObservedName = JsonEncodedText.Encode("observed");
    private static readonly JsonEncodedText ExpectedName = JsonEncodedText.Encode("expected");
    private static readonly JsonEncodedText SatisfiedName = JsonEncodedText.Encode("satisfied");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText ControlsName = JsonEncodedText.Encode("controls");
    private static readonly JsonEncodedText RemediationName = JsonEncodedText.Encode("remediation");
    private static readonly JsonEncodedText SuppressionJustificationName = JsonEncodedText.Encode("suppressionJustification");
    private static readonly JsonEncodedText SuppressionExpiresOnName = JsonEncodedText.Encode("suppressionExpiresOn");
    private static readonly JsonEncodedText SuppressionIdName = JsonEncodedText.Encode("suppressionId");
    private static readonly JsonEncodedText SuppressionBroadName = JsonEncodedText.Encode("suppressionBroad");
    private static readonly JsonEncodedText HistoryStatusName = JsonEncodedText.Encode("historyStatus");
    private static readonly JsonEncodedText ScopeIdName = JsonEncodedText.Encode("scopeId");
    private static readonly JsonEncodedText CarriedName = JsonEncodedText.Encode("carried");

    /// <summary>Options that read the document back (unknown properties, such as the context, are ignored).</summary>
    public static JsonSerializerOptions Options => FindingJsonContext.Default.Options;

    /// <summary>Writes the finding, and its run context when given, as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Finding finding, FindingContext context = default) => Write(writer, finding, context, null);

    /// <summary>
    /// Writes the finding as <see cref="Write(Utf8JsonWriter, Finding, FindingContext)"/> does; what
    /// a rule's findings share (title, pack, pass reason, controls, remediation) is taken already
    /// encoded from <paramref name="rules"/> when it is the same text as the last finding of the rule.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, Finding finding, FindingContext context, FindingJsonRules? rules)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(finding);
        var rule = rules?.Of(finding);
        writer.WriteStartObject();
        writer.WriteString(FindingIdName, finding.FindingId);
        writer.WriteString(RuleIdName, finding.RuleId);
        if (rule is not null)
        {
            writer.WriteString(RuleTitleName, rule.Title);
            writer.WriteString(PackIdName, rule.PackId);
            writer.WriteString(PackVersionName, rule.PackVersion);
        }
        else
        {
            writer.WriteString(RuleTitleName, finding.RuleTitle);
            writer.WriteString(PackIdName, finding.PackId);
            writer.WriteString(PackVersionName, finding.PackVersion);
        }

        writer.WriteString(ResourceIdName, finding.ResourceId);
        writer.WriteString(ResourceNameName, finding.ResourceName);
        writer.WriteString(ResourceTypeName, finding.ResourceType);
        if (finding.Location is { } location)
        {
            writer.WriteString(LocationName, location);
        }

        if (finding.SubscriptionId is { } subscription)
        {
            writer.WriteString(SubscriptionIdName, subscription);
        }

        if (finding.Tags is { } tags)
        {
            writer.WriteStartObject(TagsName);
            foreach (var (name, value) in tags)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteString(OutcomeName, finding.Outcome.ToWire());
        writer.WriteString(SeverityName, finding.Severity.ToWire());
        writer.WriteString(CategoryName, finding.Category.ToWire());
        if (rule?.Reason is { } reason)
        {
            writer.WriteString(ReasonName, reason);
        }
        else
        {
            writer.WriteString(ReasonName, finding.Reason);
        }

        if (finding.Message is { } message)
        {
            writer.WriteString(MessageName, message);
        }

        writer.WriteStartArray(EvidenceName);
        foreach (var item in finding.Evidence)
        {
            writer.WriteStartObject();
            writer.WriteString(PathName, item.Path);
            writer.WriteString(ObservedName, item.Observed);
            writer.WriteString(ExpectedName, item.Expected);
            writer.WriteBoolean(SatisfiedName, item.Satisfied);
            writer.WriteString(MessageName, item.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (rule is not null)
        {
            writer.WritePropertyName(ControlsName);
            writer.WriteRawValue(rule.Controls, skipInputValidation: true);
            if (rule.Remediation is { } encoded)
            {
                writer.WriteString(RemediationName, encoded);
            }
        }
        else
        {
            writer.WritePropertyName(ControlsName);
            WriteControls(writer, finding.Controls);
            if (finding.Remediation is { } remediation)
            {
                writer.WriteString(RemediationName, remediation);
            }
        }

        if (finding.SuppressionJustification is { } justification)
        {
            writer.WriteString(SuppressionJustificationName, justification);
        }

        if (finding.SuppressionExpiresOn is { } expires)
        {
            writer.WriteString(SuppressionExpiresOnName, IsoTime.Exact(expires));
        }

        if (finding.SuppressionId is { } suppressionId)
        {
            writer.WriteString(SuppressionIdName, suppressionId);
        }

        if (finding.SuppressionBroad is { } broad)
        {
            writer.WriteBoolean(SuppressionBroadName, broad);
        }

        if (context.HistoryStatus is { Length: > 0 } status)
        {
            writer.WriteString(HistoryStatusName, status);
        }

        if (context.ScopeId is { } scopeId)
        {
            writer.WriteString(ScopeIdName, scopeId);
        }

        if (context.Carried)
        {
            writer.WriteBoolean(CarriedName, true);
        }

        writer.WriteEndObject();
    }

    /// <summary>The controls object, as a value.</summary>
    internal static void WriteControls(Utf8JsonWriter writer, IReadOnlyDictionary<string, IReadOnlyList<string>> controls)
    {
        writer.WriteStartObject();
        foreach (var (framework, ids) in controls)
        {
            writer.WriteStartArray(framework);
            foreach (var control in ids)
            {
                writer.WriteStringValue(control);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public static string Serialize(Finding finding, FindingContext context = default)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(indented: false)))
        {
            Write(writer, finding, context);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Finding? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, FindingJsonContext.Default.Finding);

    public static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Indented = indented,

        // Resource names are shown as written; the output is JSON, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Finding))]
[JsonSerializable(typeof(List<Finding>))]
internal sealed partial class FindingJsonContext : JsonSerializerContext;
