using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Tests.History;

public sealed class ScopeLookupTests
{
    [Fact]
    public void Ids_asked_in_turn_each_get_their_own_scope_whatever_their_strings()
    {
        var prod = new RunScope("/subscriptions/prod", "Prod", ScopeStatus.Ok);
        var dev = new RunScope("/subscriptions/dev", "Dev", ScopeStatus.Error, "403");
        var lookup = new ScopeLookup([prod, dev]);

        // The current and the previous run's findings name their scopes with strings of their own,
        // asked of in turn (a merge), with a third id now and then.
        string[] asked = ["/subscriptions/prod", new string("/subscriptions/dev".AsSpan()), "/SUBSCRIPTIONS/PROD", "/subscriptions/gone", "/subscriptions/dev"];
        for (var round = 0; round < 3; round++)
        {
            foreach (var id in asked.Concat(asked.Reverse()))
            {
                var expected = id.Contains("prod", StringComparison.OrdinalIgnoreCase) ? prod : id.Contains("dev", StringComparison.Ordinal) ? dev : null;
                Assert.Same(expected, lookup.Find(id));
            }
        }
    }
}
