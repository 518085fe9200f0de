using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Conditions;

/// <summary>The catalogue of evidence sentences. Every reason a finding shows is worded here.</summary>
internal static class Reasons
{
    public static EvidenceItem Leaf(string path, JsonElement observed, string expected, bool satisfied)
    {
        var shown = Describe.Value(observed);
        var message = satisfied
            ? $"{path} is {shown}, as expected ({expected})"
            : $"{path} is {shown}; expected {expected}";
        return new EvidenceItem(path, shown, expected, satisfied, message);
    }

    public static EvidenceItem CannotEvaluate(string path, JsonElement observed, string expected, string error) =>
        new(path, Describe.Value(observed), expected, false, $"{path} could not be evaluated: {error}");

    public static EvidenceItem NoElements(string path, string expected, bool satisfied) =>
        new(path, "no elements", expected, satisfied, satisfied
            ? $"{path} has no elements, so every element is {expected} (nothing to check)"
            : $"{path} has no elements; expected elements {expected}");

    /// <summary>A [*] with nothing to iterate (a missing, null or non-array value): the field condition does not hold.</summary>
    public static EvidenceItem NotIterable(string path, string why, string expected, bool satisfied) =>
        new(path, "nothing to iterate", expected, satisfied, satisfied
            ? $"{path} has nothing to iterate ({why}), so the condition does not hold, as expected"
            : $"{path} has nothing to iterate ({why}), so the condition does not hold; expected every element {expected}");

    public static EvidenceItem Count(string path, string subject, long count, long total, string expected, bool satisfied, IReadOnlyList<string> matching, IReadOnlyList<string> notMatching)
    {
        var shown = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ofTotal = $"{shown} of {total.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var message = satisfied
            ? $"{subject}: {ofTotal}, as expected ({expected})"
            : $"{subject}: {ofTotal}; expected {expected}";
        if (matching.Count > 0)
        {
            message += $". Matching: {string.Join(", ", matching)}";
        }
        else if (notMatching.Count > 0)
        {
            message += $". Not matching: {string.Join(", ", notMatching)}";
        }

        return new EvidenceItem(path, shown, expected, satisfied, message);
    }

    public static EvidenceItem CountUncertain(string path, string subject, long certain, long uncertain, string expected, string? error) =>
        new(path, $"{certain} to {certain + uncertain}", expected, false,
            $"{subject}: between {certain} and {certain + uncertain}, because {uncertain} could not be evaluated ({error ?? "unknown error"}); expected {expected}");

    /// <summary>A related count over a scope that could not be read, whose verdict the unread resources could change.</summary>
    public static EvidenceItem RelatedIncomplete(string path, string subject, long certain, SnapshotScope scope, string expected) =>
        new(path, $"at least {certain}", expected, false,
            $"{subject}: at least {certain}, but {Scope(scope)} could not be read completely ({scope.Error ?? "no reason given"}), so the related resources this rule counts may be missing; expected {expected}. It is not reported as compliant.");

    /// <summary>A scope in a sentence for people: "subscription Northwind Sandbox", "the Entra ID directory".</summary>
    public static string ScopeInWords(SnapshotScope scope) =>
        scope.IsTenant ? "the Entra ID directory" : $"subscription {scope.DisplayName ?? ResourceIds.SubscriptionOf(scope.Id) ?? scope.Id}";

    /// <summary>The message of an error that an unread scope causes: the finding in plain words.</summary>
    public static string NotAssessed(SnapshotScope scope) =>
        $"Not assessed: {ScopeInWords(scope)} could not be read completely ({scope.Error ?? "no reason given"})";

    /// <summary>The message of an error that an uncollected related type causes.</summary>
    public static string NotAssessed(string type, string reason) => $"Not assessed: {type} resources were not collected ({reason})";

    /// <summary>A related type the snapshot says was not collected.</summary>
    public static string NotCollected(string type, string reason) =>
        $"{type} resources were not collected into this snapshot ({reason})";

    /// <summary>Why a related count is only a lower bound (for the evidence of a count that decided anyway).</summary>
    public static string RelatedLowerBound(SnapshotScope scope) =>
        $" (at least: {Scope(scope)} could not be read completely, and more resources could only confirm this)";

    /// <summary>A scope as a person names it: "Subscription 'Prod' (/subscriptions/…)", "The Entra ID directory /tenants/…".</summary>
    public static string Scope(SnapshotScope scope)
    {
        var text = scope.Describe();
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    public static string CountSubject(string path) => $"elements of {path} matching the where condition";

    public static string CountAllSubject(string path) => $"elements of {path}";

    public static string RelatedPath(string type, string scope) => $"related {type} ({scope})";

    public static string RelatedSubject(string type, string scope) => scope switch
    {
        "children" => $"child {type} resources matching the where condition",
        "resourceGroup" => $"{type} resources in the same resource group matching the where condition",
        "subscription" => $"{type} resources in the same subscription matching the where condition",
        _ => $"{type} resources in the tenant matching the where condition",
    };

    /// <summary>The one-sentence reason of a finding, from its evidence.</summary>
    public static string Summarize(Outcome outcome, IReadOnlyList<EvidenceItem> evidence)
    {
        const int MaxShown = 3;
        var onlyUnsatisfied = outcome != Outcome.Pass;
        var shown = 0;
        var relevant = 0;
        var text = new System.Text.StringBuilder();
        foreach (var item in evidence)
        {
            if (onlyUnsatisfied && item.Satisfied)
            {
                continue;
            }

            relevant++;
            if (shown < MaxShown)
            {
                if (shown > 0)
                {
                    text.Append("; ");
                }

                text.Append(item.Message);
                shown++;
            }
        }

        if (relevant == 0)
        {
            return outcome switch
            {
                Outcome.Pass => "All conditions hold.",
                Outcome.Error => "The rule could not be evaluated.",
                _ => "The condition does not hold.",
            };
        }

        if (relevant > MaxShown)
        {
            text.Append(" (and ").Append(relevant - MaxShown).Append(" more)");
        }

        return text.ToString();
    }
}
