using System.Text.Json.Nodes;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.Tables;

public sealed class PodPrinterTests
{
    private static readonly GroupKind Pod = new("", "Pod");

    private static JsonObject MakePod(string status, string spec = "{'containers':[{'name':'a'},{'name':'b'}]}", string extraMetadata = "") =>
        Json.Object($"{{'metadata':{{'name':'web','creationTimestamp':'{Ago(TimeSpan.FromMinutes(5))}'{extraMetadata}}},'spec':{spec},'status':{status}}}");

    [Fact]
    public void Running_pod_prints_all_columns()
    {
        JsonObject pod = MakePod(
            "{'phase':'Running','podIPs':[{'ip':'10.0.0.7'}],'conditions':[{'type':'Ready','status':'True'}],"
            + "'containerStatuses':[{'name':'a','ready':true,'restartCount':0,'state':{'running':{}}},"
            + "{'name':'b','ready':true,'restartCount':0,'state':{'running':{}}}]}",
            "{'nodeName':'node1','containers':[{'name':'a'},{'name':'b'}]}");
        Json.Equal("['web','2/2','Running','0','5m','10.0.0.7','node1','<none>','<none>']", Cells(Pod, pod));
    }

    [Fact]
    public void Pending_pod_without_statuses()
    {
        JsonObject pod = MakePod("{'phase':'Pending'}");
        Json.Equal("['web','0/2','Pending','0','5m','<none>','<none>','<none>','<none>']", Cells(Pod, pod));
    }

    [Fact]
    public void Waiting_reason_and_restarts_with_last_restart_age()
    {
        JsonObject pod = MakePod(
            "{'phase':'Running','containerStatuses':["
            + "{'name':'a','ready':false,'restartCount':3,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
            + $"'lastState':{{'terminated':{{'exitCode':1,'finishedAt':'{Ago(TimeSpan.FromSeconds(45))}'}}}}}},"
            + "{'name':'b','ready':true,'restartCount':1,'state':{'running':{}}}]}");
        JsonArray cells = Cells(Pod, pod);
        Assert.Equal("1/2", (string?)cells[1]);
        Assert.Equal("CrashLoopBackOff", (string?)cells[2]);
        Assert.Equal("4 (45s ago)", (string?)cells[3]);
    }

    [Fact]
    public void First_container_reason_wins()
    {
        JsonObject pod = MakePod(
            "{'phase':'Pending','containerStatuses':["
            + "{'name':'a','state':{'waiting':{'reason':'ImagePullBackOff'}}},"
            + "{'name':'b','state':{'waiting':{'reason':'ContainerCreating'}}}]}");
        Assert.Equal("ImagePullBackOff", (string?)Cells(Pod, pod)[2]);
    }

    [Theory]
    [InlineData("{'reason':'Completed','exitCode':0}", "Completed")]
    [InlineData("{'reason':'OOMKilled','exitCode':137}", "OOMKilled")]
    [InlineData("{'exitCode':2}", "ExitCode:2")]
    [InlineData("{'signal':9}", "Signal:9")]
    public void Terminated_container_reason(string terminated, string expected)
    {
        JsonObject pod = MakePod(
            $"{{'phase':'Succeeded','containerStatuses':[{{'name':'a','state':{{'terminated':{terminated}}}}}]}}",
            "{'containers':[{'name':'a'}]}");
        Assert.Equal(expected, (string?)Cells(Pod, pod)[2]);
    }

    [Theory]
    [InlineData("True", "Running")]
    [InlineData("False", "NotReady")]
    public void Completed_with_a_running_container_shows_readiness(string ready, string expected)
    {
        JsonObject pod = MakePod(
            $"{{'phase':'Running','conditions':[{{'type':'Ready','status':'{ready}'}}],'containerStatuses':["
            + "{'name':'a','state':{'terminated':{'reason':'Completed','exitCode':0}}},"
            + "{'name':'b','ready':true,'state':{'running':{}}}]}");
        Assert.Equal(expected, (string?)Cells(Pod, pod)[2]);
    }

    [Fact]
    public void Deleting_pod_is_terminating_unless_finished()
    {
        string deleting = $",'deletionTimestamp':'{Ago(TimeSpan.FromSeconds(3))}'";
        Assert.Equal("Terminating", (string?)Cells(Pod, MakePod("{'phase':'Running'}", extraMetadata: deleting))[2]);
        Assert.Equal("Succeeded", (string?)Cells(Pod, MakePod("{'phase':'Succeeded'}", extraMetadata: deleting))[2]);
        Assert.Equal("Unknown", (string?)Cells(Pod, MakePod("{'phase':'Running','reason':'NodeLost'}", extraMetadata: deleting))[2]);
    }

    [Fact]
    public void Init_containers_report_progress_and_failures()
    {
        string spec = "{'initContainers':[{'name':'i1'},{'name':'i2'}],'containers':[{'name':'a'}]}";
        JsonObject progressing = MakePod(
            "{'phase':'Pending','initContainerStatuses':[{'name':'i1','state':{'terminated':{'exitCode':0}}},"
            + "{'name':'i2','state':{'running':{}}}]}",
            spec);
        Assert.Equal("Init:1/2", (string?)Cells(Pod, progressing)[2]);

        JsonObject crashing = MakePod(
            "{'phase':'Pending','initContainerStatuses':[{'name':'i1','restartCount':2,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}",
            spec);
        JsonArray cells = Cells(Pod, crashing);
        Assert.Equal("Init:CrashLoopBackOff", (string?)cells[2]);
        Assert.Equal("2", (string?)cells[3]);
    }

    [Fact]
    public void Sidecars_count_as_containers()
    {
        JsonObject pod = MakePod(
            "{'phase':'Running','initContainerStatuses':[{'name':'proxy','started':true,'ready':true,'state':{'running':{}}}],"
            + "'containerStatuses':[{'name':'a','ready':true,'state':{'running':{}}}]}",
            "{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],'containers':[{'name':'a'}]}");
        JsonArray cells = Cells(Pod, pod);
        Assert.Equal("2/2", (string?)cells[1]);
        Assert.Equal("Running", (string?)cells[2]);
    }

    [Fact]
    public void Readiness_gates_count_true_conditions()
    {
        JsonObject pod = MakePod(
            "{'phase':'Running','conditions':[{'type':'example.com/lb','status':'True'},{'type':'example.com/dns','status':'False'}]}",
            "{'containers':[{'name':'a'}],'readinessGates':[{'conditionType':'example.com/lb'},{'conditionType':'example.com/dns'}]}");
        Assert.Equal("1/2", (string?)Cells(Pod, pod)[8]);
    }

    [Fact]
    public void Finished_pods_carry_a_completed_row_condition()
    {
        JsonObject table = Orchestrator.Api.Tables.Table.Build(
            Pod, [MakePod("{'phase':'Succeeded'}")], "None", null, null, null, Now);
        Json.Equal(
            "[{'type':'Completed','status':'True','reason':'Succeeded','message':'The pod has completed successfully.'}]",
            table["rows"]![0]!["conditions"]);
    }
}
