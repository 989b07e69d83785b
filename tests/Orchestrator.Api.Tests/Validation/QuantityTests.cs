using System.Numerics;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tests.Validation;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("0Gi", "0")]
    [InlineData("1", "1")]
    [InlineData("+1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("1000m", "1")]
    [InlineData("100m", "100m")]
    [InlineData("0.1", "100m")]
    [InlineData(".5", "500m")]
    [InlineData("1.5", "1500m")]
    [InlineData("-1.5", "-1500m")]
    [InlineData("1000", "1k")]
    [InlineData("1500", "1500")]
    [InlineData("1k", "1k")]
    [InlineData("12000k", "12M")]
    [InlineData("2G", "2G")]
    [InlineData("1E", "1E")]
    [InlineData("1000E", "1000E")]
    [InlineData("1n", "1n")]
    [InlineData("0.5n", "1n")]
    [InlineData("1500u", "1500u")]
    [InlineData("2Gi", "2Gi")]
    [InlineData("512Mi", "512Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1Ki", "1Ki")]
    [InlineData("1024", "1024")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1.5Ki", "1536")]
    [InlineData("0.1Ki", "102400m")]
    [InlineData("1e3", "1e3")]
    [InlineData("1E3", "1e3")]
    [InlineData("1.5e3", "1500")]
    [InlineData("12e6", "12e6")]
    [InlineData("1e-3", "1e-3")]
    [InlineData("100e-1", "10")]
    public void Parses_and_prints_canonically(string text, string canonical)
    {
        Assert.Equal(canonical, Quantity.Parse(text).ToString());
        // Canonical forms are fixed points.
        Assert.Equal(canonical, Quantity.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("1Kb")]
    [InlineData("1 Gi")]
    [InlineData("1e")]
    [InlineData("1ee3")]
    [InlineData("1e3.5")]
    [InlineData("Gi")]
    [InlineData("1KI")]
    [InlineData("1 ")]
    public void Rejects_garbage(string text)
    {
        Assert.False(Quantity.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Quantity.Parse(text));
    }

    [Theory]
    [InlineData("1", "1000m", 0)]
    [InlineData("1Ki", "1024", 0)]
    [InlineData("1k", "1Ki", -1)]
    [InlineData("2", "1999m", 1)]
    [InlineData("-1", "0", -1)]
    public void Compares_by_value(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Quantity.Parse(left).CompareTo(Quantity.Parse(right))));
        Assert.Equal(expected == 0, Quantity.Parse(left).Equals(Quantity.Parse(right)));
    }

    [Theory]
    [InlineData("100m", 1, 100)]
    [InlineData("1.5", 2, 1500)]
    [InlineData("2Gi", 2147483648, 2147483648000)]
    [InlineData("1n", 1, 1)]
    [InlineData("-1500m", -2, -1500)]
    public void Rounds_values_up(string text, long value, long milli)
    {
        Quantity quantity = Quantity.Parse(text);
        Assert.Equal(new BigInteger(value), quantity.Value);
        Assert.Equal(new BigInteger(milli), quantity.MilliValue);
    }

    [Theory]
    [InlineData("{'cpu':'500m'}", true)]
    [InlineData("{'cpu':2}", true)]
    [InlineData("{'cpu':'2 cores'}", false)]
    [InlineData("{'cpu':'-1'}", false)]
    [InlineData("{'cpu':true}", false)]
    public void Validation_reports_an_invalid_cause(string json, bool valid)
    {
        var errors = new FieldErrorList();
        var path = FieldPath.Root("spec", "containers").Index(0).Child("resources", "requests").Key("cpu");

        Quantity? quantity = QuantityValidation.Validate(Json.Object(json)["cpu"], path, errors);

        Assert.Equal(valid, quantity is not null);
        Assert.Equal(valid, errors.IsEmpty);
        if (!valid)
        {
            FieldError error = Assert.Single(errors);
            Assert.Equal(FieldErrorType.Invalid, error.Type);
            Assert.Equal("spec.containers[0].resources.requests[cpu]", error.Field);
        }
    }

    [Fact]
    public void Garbage_message_quotes_the_kubernetes_syntax()
    {
        var errors = new FieldErrorList();
        QuantityValidation.Validate(Json.Parse("'lots'"), FieldPath.Root("spec", "capacity"), errors);

        Assert.Equal(
            "spec.capacity: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            Assert.Single(errors).ToString());
    }
}
