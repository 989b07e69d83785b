using System.Text.Json.Nodes;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.Tables;

public sealed class ClusterPrinterTests
{
    private static readonly GroupKind Node = new("", "Node");

    [Theory]
    [InlineData("[{'type':'Ready','status':'True'}]", false, "Ready")]
    [InlineData("[{'type':'Ready','status':'True'}]", true, "Ready,SchedulingDisabled")]
    [InlineData("[{'type':'MemoryPressure','status':'False'},{'type':'Ready','status':'False'}]", false, "NotReady")]
    [InlineData("[{'type':'Ready','status':'Unknown'}]", true, "NotReady,SchedulingDisabled")]
    [InlineData("[]", false, "Unknown")]
    [InlineData("[]", true, "Unknown,SchedulingDisabled")]
    public void Node_status(string conditions, bool unschedulable, string expected)
    {
        JsonObject node = Json.Object(
            $"{{'metadata':{{'name':'n1'}},'spec':{{'unschedulable':{(unschedulable ? "true" : "false")}}},'status':{{'conditions':{conditions}}}}}");
        Assert.Equal(expected, (string?)Cell(Node, node, "Status"));
    }

    [Fact]
    public void Node_row_with_roles_and_wide_columns()
    {
        JsonObject node = Json.Object(
            $"{{'metadata':{{'name':'n1','creationTimestamp':'{Ago(TimeSpan.FromDays(3))}',"
            + "'labels':{'node-role.kubernetes.io/control-plane':'','node-role.kubernetes.io/':'x','kubernetes.io/role':'etcd','zone':'a'}},"
            + "'status':{'conditions':[{'type':'Ready','status':'True'}],"
            + "'addresses':[{'type':'Hostname','address':'n1'},{'type':'InternalIP','address':'192.168.1.10'}],"
            + "'nodeInfo':{'kubeletVersion':'v1.32.0','osImage':'Ubuntu 24.04','containerRuntimeVersion':'containerd://2.0.0'}}}");
        Json.Equal(
            "['n1','Ready','control-plane,etcd','3d','v1.32.0','192.168.1.10','<none>','Ubuntu 24.04','<unknown>','containerd://2.0.0']",
            Cells(Node, node));
    }

    [Fact]
    public void Node_without_roles()
    {
        JsonObject node = Json.Object("{'metadata':{'name':'n1','labels':{'zone':'a'}}}");
        Assert.Equal("<none>", (string?)Cell(Node, node, "Roles"));
    }

    [Fact]
    public void Event_uses_wide_column_order()
    {
        JsonObject ev = Json.Object(
            $"{{'metadata':{{'name':'web.17a'}},'type':'Warning','reason':'BackOff','message':' Back-off restarting \\n',"
            + "'involvedObject':{'kind':'Pod','name':'web','fieldPath':'spec.containers{a}'},"
            + $"'source':{{'component':'kubelet','host':'n1'}},'firstTimestamp':'{Ago(TimeSpan.FromMinutes(30))}','lastTimestamp':'{Ago(TimeSpan.FromSeconds(10))}','count':7}}");
        Json.Equal(
            "['10s','Warning','BackOff','pod/web','spec.containers{a}','kubelet, n1','Back-off restarting','30m',7,'web.17a']",
            Cells(new GroupKind("", "Event"), ev));
    }

    [Fact]
    public void Event_from_the_new_api_falls_back_to_event_time_and_series()
    {
        JsonObject ev = Json.Object(
            $"{{'metadata':{{'name':'e'}},'involvedObject':{{'kind':'Node'}},'reportingComponent':'scheduler','eventTime':'{Ago(TimeSpan.FromMinutes(4))}'}}");
        JsonArray cells = Cells(new GroupKind("", "Event"), ev);
        Assert.Equal("4m", (string?)cells[0]);
        Assert.Equal("node", (string?)cells[3]);
        Assert.Equal("scheduler", (string?)cells[5]);
        Assert.Equal(1, (long)cells[8]!);
    }
}
