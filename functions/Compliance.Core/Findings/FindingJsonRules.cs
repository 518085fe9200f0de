using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Compliance.Core.Findings;

/// <summary>
/// What the findings of a rule have in common — title, pack, pass reason, controls, remediation —
/// kept encoded for <see cref="FindingJson"/> by a writer of many findings, so that the text a
/// million findings repeat is escaped and encoded once per rule. Each value is used only when the
/// finding's own is the same text (the same string, or equal to it); otherwise it is encoded again
/// from the finding. One per writing thread: it is not safe to share between threads.
/// </summary>
public sealed class FindingJsonRules
{
    /// <summary>Rules kept at most; a rule set has a few hundred.</summary>
    private const int MaxRules = 4096;

    private readonly Dictionary<string, Rule> _rules = new(StringComparer.Ordinal);
    private readonly JavaScriptEncoder _encoder = FindingJson.WriterOptions(indented: false).Encoder!;

    internal Rule Of(Finding finding)
    {
        if (!_rules.TryGetValue(finding.RuleId, out var rule))
        {
            if (_rules.Count >= MaxRules)
            {
                _rules.Clear();
            }

            rule = new Rule();
            _rules[finding.RuleId] = rule;
        }

        rule.Take(finding, _encoder);
        return rule;
    }

    /// <summary>The encoded values of one rule, as of its last finding.</summary>
    internal sealed class Rule
    {
        private string? _title;
        private string? _packId;
        private string? _packVersion;
        private string? _passReason;
        private JsonEncodedText _passReasonText;
        private string? _remediation;
        private IReadOnlyDictionary<string, IReadOnlyList<string>>? _controls;

        public JsonEncodedText Title { get; private set; }

        public JsonEncodedText PackId { get; private set; }

        public JsonEncodedText PackVersion { get; private set; }

        /// <summary>The reason of a pass (most passes share their rule's); null for other outcomes.</summary>
        public JsonEncodedText? Reason { get; private set; }

        public JsonEncodedText? Remediation { get; private set; }

        /// <summary>The controls object, as the JSON value the writer writes.</summary>
        public byte[] Controls { get; private set; } = [];

        public void Take(Finding finding, JavaScriptEncoder encoder)
        {
            if (!Same(_title, finding.RuleTitle))
            {
                _title = finding.RuleTitle;
                Title = JsonEncodedText.Encode(_title, encoder);
            }

            if (!Same(_packId, finding.PackId))
            {
                _packId = finding.PackId;
                PackId = JsonEncodedText.Encode(_packId, encoder);
            }

            if (!Same(_packVersion, finding.PackVersion))
            {
                _packVersion = finding.PackVersion;
                PackVersion = JsonEncodedText.Encode(_packVersion, encoder);
            }

            if (finding.Outcome != Outcome.Pass)
            {
                Reason = null;
            }
            else
            {
                if (!Same(_passReason, finding.Reason))
                {
                    _passReason = finding.Reason;
                    _passReasonText = JsonEncodedText.Encode(_passReason, encoder);
                }

                Reason = _passReasonText;
            }

            if (!Same(_remediation, finding.Remediation))
            {
                _remediation = finding.Remediation;
                Remediation = _remediation is null ? null : JsonEncodedText.Encode(_remediation, encoder);
            }

            if (!ReferenceEquals(_controls, finding.Controls))
            {
                _controls = finding.Controls;
                var buffer = new ArrayBufferWriter<byte>(256);
                using (var writer = new Utf8JsonWriter(buffer, FindingJson.WriterOptions(indented: false)))
                {
                    FindingJson.WriteControls(writer, _controls);
                }

                Controls = buffer.WrittenSpan.ToArray();
            }
        }

        private static bool Same(string? kept, string? value) => ReferenceEquals(kept, value) || string.Equals(kept, value, StringComparison.Ordinal);
    }
}
