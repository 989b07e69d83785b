using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

public sealed class ContainerCommandTests
{
    private static readonly ImageConfig Image = new() { Entrypoint = ["/entry"], Cmd = ["default-arg"], Env = ["PATH=/image/bin", "A=image"] };

    [Theory]
    [InlineData(null, null, "/entry default-arg")]
    [InlineData("/cmd", null, "/cmd")]
    [InlineData(null, "x y", "/entry x y")]
    [InlineData("/cmd", "x y", "/cmd x y")]
    public void Command_and_args_merge_with_the_image_like_Kubernetes(string? command, string? args, string expected)
    {
        var result = ContainerCommand.Resolve(Image, command?.Split(' '), args?.Split(' '));

        Assert.Equal(expected, string.Join(' ', result));
    }

    [Fact]
    public void No_command_anywhere_is_an_error() =>
        Assert.Throws<ArgumentException>(() => ContainerCommand.Resolve(ImageConfig.Empty, null, null));

    [Fact]
    public void Container_env_overrides_image_env_by_name()
    {
        var env = ContainerCommand.ResolveEnv(Image, [new("A", "pod"), new("B", "b")]);

        Assert.Equal(["PATH=/image/bin", "A=pod", "B=b"], env);
        Assert.StartsWith("PATH=", ContainerCommand.ResolveEnv(ImageConfig.Empty, [])[0]);
    }
}
