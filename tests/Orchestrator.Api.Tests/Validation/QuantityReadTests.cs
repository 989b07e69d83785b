using System.Text.Json.Nodes;
using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tests.Validation;

/// <summary>The conversions the scheduler (millicores, bytes) and the node's cgroup limits read quantities with.</summary>
public sealed class QuantityReadTests
{
    [Theory]
    [InlineData("'100m'", 100, 1)]
    [InlineData("'1'", 1000, 1)]
    [InlineData("'1.5'", 1500, 2)]
    [InlineData("'0.0001'", 1, 1)] // both round up, as Go's MilliValue / Value do
    [InlineData("'1Gi'", 1073741824000, 1073741824)]
    [InlineData("'200Mi'", 209715200000, 209715200)]
    [InlineData("'1k'", 1000000, 1000)]
    [InlineData("'1e3'", 1000000, 1000)]
    [InlineData("'1n'", 1, 1)]
    [InlineData("2", 2000, 2)]
    [InlineData("0.5", 500, 1)]
    public void Reads_strings_and_bare_numbers(string json, long milli, long whole)
    {
        Quantity quantity = Quantity.Read(Json.Parse(json))!;
        Assert.Equal(milli, quantity.Int64MilliValue);
        Assert.Equal(whole, quantity.Int64Value);
    }

    [Fact]
    public void Reads_values_built_in_memory()
    {
        Assert.Equal(4, Quantity.Read(JsonValue.Create(4))!.Int64Value);
        Assert.Equal(250, Quantity.Read(JsonValue.Create("250m"))!.Int64MilliValue);
    }

    [Theory]
    [InlineData("'lots'")]
    [InlineData("''")]
    [InlineData("true")]
    [InlineData("{}")]
    public void Unparsable_reads_as_unset(string json) => Assert.Null(Quantity.Read(Json.Parse(json)));

    [Fact]
    public void Absent_reads_as_unset() => Assert.Null(Quantity.Read(null));

    [Fact]
    public void Saturates_instead_of_wrapping()
    {
        Assert.Equal(long.MaxValue, Quantity.Parse("100Ei").Int64Value);
        Assert.Equal(long.MaxValue, Quantity.Parse("10E").Int64MilliValue);
        Assert.Equal(long.MinValue, Quantity.Parse("-100Ei").Int64Value);
    }
}
