using Orchestrator.Server.Security;
using Orchestrator.Server.Security.RateLimits;
using Xunit;

namespace Orchestrator.Server.Tests.Security;

public sealed class RateLimitPolicyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ratelimits-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static UserInfo User(string name, params string[] groups) => new(name, [.. groups, UserInfo.AuthenticatedGroup]);

    [Fact]
    public void Built_in_limits_follow_the_api_document()
    {
        var policy = RateLimitPolicy.BuiltIn;
        var alice = User("alice");
        Assert.Equal(100, policy.LimitFor(alice, VerbClass.List));
        Assert.Equal(1000, policy.LimitFor(alice, VerbClass.Get));
        Assert.Equal(50, policy.LimitFor(alice, VerbClass.Write));
        Assert.Equal(50, policy.LimitFor(alice, VerbClass.Delete));
        Assert.Equal(10_000, policy.LimitFor(User("system:node:n1", "system:nodes"), VerbClass.Write));
        Assert.Equal(5000, policy.LimitFor(User("system:kube-controller-manager"), VerbClass.List));
        Assert.Null(policy.LimitFor(User("admin", "system:masters"), VerbClass.Write));
        Assert.Equal(TimeSpan.FromMinutes(1), policy.Window);
    }

    [Fact]
    public void A_file_overrides_by_user_then_service_account_then_the_most_generous_group()
    {
        var path = Write("""
            windowSeconds: 30
            defaults: {list: 10}
            exempt:
              users: [robot]
            users:
              alice: {write: 7}
            groups:
              team-a: {all: 20}
              team-b: {write: 30, get: 5}
            serviceAccounts:
              ci/builder: {write: 500}
            """);
        var policy = RateLimitPolicy.Load(path);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Window);
        Assert.Equal(7, policy.LimitFor(User("alice", "team-b"), VerbClass.Write));
        Assert.Equal(5, policy.LimitFor(User("alice", "team-b"), VerbClass.Get)); // alice's entry leaves get to the group
        Assert.Equal(30, policy.LimitFor(User("bob", "team-a", "team-b"), VerbClass.Write));
        Assert.Equal(20, policy.LimitFor(User("bob", "team-a", "team-b"), VerbClass.Get));
        Assert.Equal(10, policy.LimitFor(User("carol"), VerbClass.List));
        Assert.Equal(1000, policy.LimitFor(User("carol"), VerbClass.Get));
        Assert.Equal(500, policy.LimitFor(User("system:serviceaccount:ci:builder", "system:serviceaccounts"), VerbClass.Write));
        Assert.Equal(50, policy.LimitFor(User("system:serviceaccount:ci:other", "system:serviceaccounts"), VerbClass.Write));
        Assert.Null(policy.LimitFor(User("robot"), VerbClass.Delete));
    }

    [Theory]
    [InlineData("users: {alice: {write: -1}}", "negative")]
    [InlineData("users: {alice: {writes: 5}}", "writes")]
    [InlineData("windowSeconds: [1", "")]
    public void A_bad_file_is_refused_with_its_path(string yaml, string mentions)
    {
        var path = Write(yaml);
        var error = Assert.Throws<InvalidOperationException>(() => RateLimitPolicy.Load(path));
        Assert.StartsWith(path, error.Message);
        Assert.Contains(mentions, error.Message);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
