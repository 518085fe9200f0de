namespace Compliance.Policy.Mapping;

/// <summary>
/// Framework controls from an initiative's group names: <c>NIST_SP_800-53_R5_AC-2(1)</c> is
/// NIST-800-53-r5 control AC-2(1), as the built-in "NIST SP 800-53 Rev. 5" initiative names its
/// groups (policyDefinitionGroups, each with policyMetadata of that name). A group of another
/// framework is kept under the initiative's own name: "policy-set:{initiative name}" → the group name.
/// </summary>
public static class ControlGroups
{
    private static readonly (string Prefix, string Framework)[] Known =
    [
        ("NIST_SP_800-53_R5_", "NIST-800-53-r5"),
    ];

    public static (string Framework, string Control) Of(string groupName, string initiativeName)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        foreach (var (prefix, framework) in Known)
        {
            if (groupName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && groupName.Length > prefix.Length)
            {
                return (framework, groupName[prefix.Length..]);
            }
        }

        return ($"policy-set:{initiativeName}", groupName);
    }
}
