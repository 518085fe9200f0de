using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Tests.History;

public sealed class HistoryClassifierTests
{
    [Theory]
    [InlineData(Outcome.Fail, null, HistoryStatus.New)]
    [InlineData(Outcome.Error, null, HistoryStatus.New)]
    [InlineData(Outcome.Suppressed, null, HistoryStatus.New)]
    [InlineData(Outcome.Fail, Outcome.Fail, HistoryStatus.Persisting)]
    [InlineData(Outcome.Fail, Outcome.Error, HistoryStatus.Persisting)]
    [InlineData(Outcome.Fail, Outcome.Suppressed, HistoryStatus.Persisting)]
    [InlineData(Outcome.Suppressed, Outcome.Fail, HistoryStatus.Persisting)]
    [InlineData(Outcome.Error, Outcome.Fail, HistoryStatus.Persisting)]
    [InlineData(Outcome.Fail, Outcome.Pass, HistoryStatus.Regressed)]
    [InlineData(Outcome.Suppressed, Outcome.Pass, HistoryStatus.Regressed)]
    [InlineData(Outcome.Error, Outcome.Pass, HistoryStatus.New)]
    [InlineData(Outcome.Pass, Outcome.Fail, HistoryStatus.Resolved)]
    [InlineData(Outcome.Pass, Outcome.Error, HistoryStatus.Resolved)]
    [InlineData(Outcome.Pass, Outcome.Suppressed, HistoryStatus.Resolved)]
    [InlineData(Outcome.Pass, Outcome.Pass, null)]
    [InlineData(Outcome.Pass, null, null)]
    public void Status_compares_the_outcome_with_the_last_one(Outcome current, Outcome? last, HistoryStatus? expected) =>
        Assert.Equal(expected, HistoryClassifier.StatusOf(current, last));

    [Fact]
    public void An_error_is_never_resolved()
    {
        foreach (var last in new Outcome?[] { null, Outcome.Pass, Outcome.Fail, Outcome.Error, Outcome.Suppressed })
        {
            Assert.NotEqual(HistoryStatus.Resolved, HistoryClassifier.StatusOf(Outcome.Error, last));
        }
    }
}
