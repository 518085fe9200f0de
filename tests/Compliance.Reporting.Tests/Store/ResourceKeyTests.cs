using System.IO.Hashing;
using System.Text;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// A resource's key is stored with every finding, so it never changes: XXH64 of the id's invariant
/// lower case in UTF-8, however the key is worked out.
/// </summary>
public sealed class ResourceKeyTests
{
    public static TheoryData<string> Ids => new()
    {
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/RG-Prod/providers/Microsoft.Storage/storageAccounts/StProd01",
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-ÄÖÜ-Σίσυφος",
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/İstanbul/providers/Microsoft.Web/sites/app-\U0001F512",
        "/tenants/00000000-0000-0000-0000-000000000000/users/Ada.Lovelace@Contoso.onmicrosoft.com",
        "lone \uD800 surrogate",
        string.Empty,
        new string('A', 511) + "Ω",
        new string('B', 512),
        "/subscriptions/x/" + new string('C', 2000),
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_key_is_the_hash_of_the_lower_case_utf8_of_the_id(string id) =>
        Assert.Equal(unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id.ToLowerInvariant()))), ResourceMeta.KeyOf(id));

    [Fact]
    public void Ids_that_differ_only_in_case_share_a_key() =>
        Assert.Equal(ResourceMeta.KeyOf("/subscriptions/A/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM1"), ResourceMeta.KeyOf("/SUBSCRIPTIONS/a/resourcegroups/rg/PROVIDERS/microsoft.compute/virtualmachines/vm1"));
}
