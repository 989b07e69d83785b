using System.Text.Json.Nodes;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.Tables;

public sealed class WorkloadPrinterTests
{
    private const string Template = "'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.27'},{'name':'log','image':'busybox'}]}}";

    [Fact]
    public void Deployment_ready_over_desired()
    {
        JsonObject deployment = Json.Object(
            $"{{'metadata':{{'name':'web','creationTimestamp':'{Ago(TimeSpan.FromSeconds(90))}'}},"
            + $"'spec':{{'replicas':3,'selector':{{'matchLabels':{{'app':'web'}},'matchExpressions':[{{'key':'tier','operator':'In','values':['b','a']}}]}},{Template}}},"
            + "'status':{'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}");
        Json.Equal("['web','2/3',3,2,'90s','web,log','nginx:1.27,busybox','app=web,tier in (a,b)']", Cells(new GroupKind("apps", "Deployment"), deployment));
    }

    [Fact]
    public void Deployment_without_status_or_selector()
    {
        JsonObject deployment = Json.Object("{'metadata':{'name':'web'},'spec':{'replicas':0}}");
        Json.Equal("['web','0/0',0,0,'<unknown>','','','']", Cells(new GroupKind("apps", "Deployment"), deployment));
    }

    [Fact]
    public void ReplicaSet_statefulset_and_daemonset()
    {
        JsonObject rs = Json.Object($"{{'metadata':{{'name':'web-1'}},'spec':{{'replicas':2,'selector':{{}},{Template}}},'status':{{'replicas':2,'readyReplicas':1}}}}");
        Json.Equal("['web-1',2,2,1,'<unknown>','web,log','nginx:1.27,busybox','<none>']", Cells(new GroupKind("apps", "ReplicaSet"), rs));

        JsonObject sts = Json.Object($"{{'metadata':{{'name':'db'}},'spec':{{{Template}}},'status':{{'readyReplicas':1}}}}");
        Assert.Equal("1/1", (string?)Cell(new GroupKind("apps", "StatefulSet"), sts, "Ready"));

        JsonObject ds = Json.Object(
            "{'metadata':{'name':'agent'},'spec':{'selector':{'matchLabels':{'app':'agent'}},'template':{'spec':{'nodeSelector':{'kubernetes.io/os':'linux'}}}},"
            + "'status':{'desiredNumberScheduled':3,'currentNumberScheduled':3,'numberReady':2,'updatedNumberScheduled':3,'numberAvailable':2}}");
        Json.Equal("['agent',3,3,2,3,2,'kubernetes.io/os=linux','<unknown>','','','app=agent']", Cells(new GroupKind("apps", "DaemonSet"), ds));
    }

    [Fact]
    public void ReplicationController_prints_like_a_replicaset_with_its_map_selector()
    {
        JsonObject rc = Json.Object($"{{'metadata':{{'name':'web'}},'spec':{{'replicas':3,'selector':{{'tier':'front','app':'web'}},{Template}}},'status':{{'replicas':3,'readyReplicas':2}}}}");
        Json.Equal("['web',3,3,2,'<unknown>','web,log','nginx:1.27,busybox','app=web,tier=front']", Cells(new GroupKind("", "ReplicationController"), rc));
        Assert.Equal(2L, (long?)Cell(new GroupKind("", "ReplicationController"), rc, "Ready"));
    }

    [Theory]
    [InlineData("[{'type':'Complete','status':'True'}]", "", "Complete")]
    [InlineData("[{'type':'Failed','status':'True'}]", "", "Failed")]
    [InlineData("[]", ",'deletionTimestamp':'2025-01-15T11:00:00Z'", "Terminating")]
    [InlineData("[{'type':'Suspended','status':'True'}]", "", "Suspended")]
    [InlineData("[{'type':'FailureTarget','status':'True'}]", "", "FailureTarget")]
    [InlineData("[{'type':'Complete','status':'False'}]", "", "Running")]
    public void Job_status(string conditions, string metadata, string expected)
    {
        JsonObject job = Json.Object($"{{'metadata':{{'name':'j'{metadata}}},'status':{{'conditions':{conditions}}}}}");
        Assert.Equal(expected, (string?)Cell(new GroupKind("batch", "Job"), job, "Status"));
    }

    [Fact]
    public void Job_completions_and_duration()
    {
        GroupKind job = new("batch", "Job");
        JsonObject done = Json.Object(
            "{'metadata':{'name':'j'},'spec':{'completions':3},'status':{'succeeded':3,"
            + "'startTime':'2025-01-15T10:00:00Z','completionTime':'2025-01-15T10:03:20Z'}}");
        Assert.Equal("3/3", (string?)Cell(job, done, "Completions"));
        Assert.Equal("3m20s", (string?)Cell(job, done, "Duration"));

        JsonObject running = Json.Object($"{{'metadata':{{'name':'j'}},'spec':{{'parallelism':4}},'status':{{'startTime':'{Ago(TimeSpan.FromSeconds(30))}'}}}}");
        Assert.Equal("0/1 of 4", (string?)Cell(job, running, "Completions"));
        Assert.Equal("30s", (string?)Cell(job, running, "Duration"));

        Assert.Equal("", (string?)Cell(job, Json.Object("{'metadata':{'name':'j'}}"), "Duration"));
    }

    [Fact]
    public void CronJob_row()
    {
        JsonObject cronJob = Json.Object(
            "{'metadata':{'name':'backup'},'spec':{'schedule':'*/5 * * * *','suspend':false,'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'backup:1'}]}}}}},"
            + $"'status':{{'active':[{{'name':'backup-1'}}],'lastScheduleTime':'{Ago(TimeSpan.FromMinutes(4))}'}}}}");
        Json.Equal("['backup','*/5 * * * *','<none>','False',1,'4m','<unknown>','b','backup:1','<none>']", Cells(new GroupKind("batch", "CronJob"), cronJob));
    }

    [Fact]
    public void Pod_disruption_budget_int_or_string()
    {
        JsonObject pdb = Json.Object("{'metadata':{'name':'p'},'spec':{'minAvailable':'50%'},'status':{'disruptionsAllowed':1}}");
        Json.Equal("['p','50%','N/A',1,'<unknown>']", Cells(new GroupKind("policy", "PodDisruptionBudget"), pdb));
    }
}
