using Compliance.Reporting.Csv;

namespace Compliance.Reporting.Tests.Csv;

public sealed class NaturalComparerOrderTests
{
    [Theory]
    [InlineData("2.4", "2.26")]
    [InlineData("2.9", "2.10")]
    [InlineData("3.1.10", "3.3.5")]
    [InlineData("4.2", "4.15")]
    [InlineData("A.8.2", "A.8.20")]
    [InlineData("A.5.37", "A.8.1")]
    [InlineData("AC-2", "AC-2(3)")]
    [InlineData("AC-2(3)", "AC-6")]
    [InlineData("IA-2(1)", "IA-2(2)")]
    [InlineData("SC-7(5)", "SC-8")]
    public void Orders_numbers_by_value(string first, string second)
    {
        Assert.True(NaturalComparer.Instance.Compare(first, second) < 0, $"{first} should come before {second}");
        Assert.True(NaturalComparer.Instance.Compare(second, first) > 0, $"{second} should come after {first}");
    }

    [Fact]
    public void Equal_ids_compare_equal_and_different_case_stays_distinct()
    {
        Assert.Equal(0, NaturalComparer.Instance.Compare("SC-8(1)", "SC-8(1)"));
        Assert.NotEqual(0, NaturalComparer.Instance.Compare("a.8.2", "A.8.2"));
    }
}
