using Orchestrator.Storage.State;
using Xunit;

namespace Orchestrator.Storage.Tests.State;

public sealed class KeyIndexTests
{
    private static KeyIndex With(params string[] keys)
    {
        var index = new KeyIndex();
        foreach (var key in keys)
            index.Add(key);
        return index;
    }

    [Theory]
    [InlineData("/r/pods/", null, "/r/pods/a/1,/r/pods/a/2,/r/pods/b/1")]
    [InlineData("/r/pods/a/", null, "/r/pods/a/1,/r/pods/a/2")]
    [InlineData("/r/pods/", "/r/pods/a/1", "/r/pods/a/2,/r/pods/b/1")]
    [InlineData("/r/pods/", "/r/pods/b/1", "")]
    [InlineData("/r/pods/", "/r/pods/a/15", "/r/pods/a/2,/r/pods/b/1")]
    [InlineData("/r/pods/a/", "/r/pods/", "/r/pods/a/1,/r/pods/a/2")]
    [InlineData("/r/secrets/", null, "")]
    public void RangeListsKeysUnderThePrefixInOrderAfterTheContinueKey(string prefix, string? startAfter, string expected)
    {
        var index = With("/r/pods/b/1", "/r/pods/a/2", "/r/pods/a/1", "/r/podsx/a", "/r/services/x");
        Assert.Equal(expected, string.Join(',', index.Range(prefix, startAfter)));
    }

    [Fact]
    public void RemovedKeysAreNotListed()
    {
        var index = With("/a/1", "/a/2");
        index.Remove("/a/1");
        Assert.Equal(["/a/2"], index.Range("/a/", null));
    }
}
