using Compliance.Reporting.Csv;

namespace Compliance.Reporting.Tests;

public sealed class CsvCellsTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)", "'@SUM(1+1)")]
    [InlineData("\tstarts with a tab", "'\tstarts with a tab")]
    [InlineData("\rstarts with a return", "'\rstarts with a return")]
    public void Cells_that_would_start_a_formula_are_neutralised(string cell, string expected) =>
        Assert.Equal(expected, CsvCells.Safe(cell));

    [Theory]
    [InlineData("-5")]
    [InlineData("+1.5")]
    [InlineData("-0.25e3")]
    [InlineData("nwproddata01")]
    [InlineData("")]
    public void Numbers_and_ordinary_text_are_left_alone(string cell) =>
        Assert.Equal(cell, CsvCells.Safe(cell));
}
