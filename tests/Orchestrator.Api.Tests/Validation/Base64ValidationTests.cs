using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tests.Validation;

public sealed class Base64ValidationTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("YQ==", true)]
    [InlineData("aGVsbG8=", true)]
    [InlineData("aGVsbG8gd29ybGQ+Pz8/", true)]
    [InlineData("YQ", false)]
    [InlineData("YQ=", false)]
    [InlineData("aGVs bG8=", false)]
    [InlineData("aGVsbG8=\n", false)]
    [InlineData("aGVsbG8-", false)]
    [InlineData("a===", false)]
    [InlineData("=YQ=", false)]
    public void Checks_standard_padded_base64(string text, bool valid)
    {
        Assert.Equal(valid, Base64Validation.IsValid(text));
        Assert.Equal(valid, Base64Validation.TryDecode(text) is not null);
    }
}
