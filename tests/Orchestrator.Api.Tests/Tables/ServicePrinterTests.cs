using System.Text.Json.Nodes;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.Tables;

public sealed class ServicePrinterTests
{
    private static readonly GroupKind Service = new("", "Service");
    private static readonly GroupKind Endpoints = new("", "Endpoints");

    private static JsonObject MakeService(string spec, string status = "{}") =>
        Json.Object($"{{'metadata':{{'name':'web','creationTimestamp':'{Ago(TimeSpan.FromHours(2))}'}},'spec':{spec},'status':{status}}}");

    [Fact]
    public void Cluster_ip_service()
    {
        JsonObject svc = MakeService(
            "{'type':'ClusterIP','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],"
            + "'ports':[{'port':53,'protocol':'UDP'},{'port':53,'protocol':'TCP'}],'selector':{'k8s-app':'dns','tier':'a'}}");
        Json.Equal("['web','ClusterIP','10.96.0.10','<none>','53/UDP,53/TCP','120m','k8s-app=dns,tier=a']", Cells(Service, svc));
    }

    [Fact]
    public void Node_ports_and_headless_service()
    {
        JsonObject nodePort = MakeService("{'type':'NodePort','clusterIPs':['10.0.0.1'],'ports':[{'port':80,'nodePort':30080,'protocol':'TCP'}]}");
        Assert.Equal("80:30080/TCP", (string?)Cell(Service, nodePort, "Port(s)"));

        JsonObject headless = MakeService("{'type':'ClusterIP','clusterIPs':['None']}");
        Assert.Equal("None", (string?)Cell(Service, headless, "Cluster-IP"));
        Assert.Equal("<none>", (string?)Cell(Service, headless, "Port(s)"));
        Assert.Equal("<none>", (string?)Cell(Service, headless, "Selector"));
    }

    [Theory]
    [InlineData("{'type':'LoadBalancer'}", "{}", "<pending>")]
    [InlineData("{'type':'LoadBalancer'}", "{'loadBalancer':{'ingress':[{'ip':'5.6.7.8'},{'hostname':'lb.example.com'},{'ip':'1.2.3.4'}]}}", "1.2.3.4,5.6.7.8,lb.example.com")]
    [InlineData("{'type':'LoadBalancer','externalIPs':['9.9.9.9']}", "{'loadBalancer':{'ingress':[{'ip':'1.2.3.4'}]}}", "1.2.3.4,9.9.9.9")]
    [InlineData("{'type':'ClusterIP','externalIPs':['9.9.9.9','8.8.8.8']}", "{}", "9.9.9.9,8.8.8.8")]
    [InlineData("{'type':'NodePort'}", "{}", "<none>")]
    [InlineData("{'type':'ExternalName','externalName':'db.example.com'}", "{}", "db.example.com")]
    public void External_ip(string spec, string status, string expected) =>
        Assert.Equal(expected, (string?)Cell(Service, MakeService(spec, status), "External-IP"));

    [Fact]
    public void Endpoints_lists_three_then_counts_the_rest()
    {
        JsonObject endpoints = Json.Object(
            "{'metadata':{'name':'web'},'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'}],'ports':[{'port':80},{'port':443}]},"
            + "{'addresses':[{'ip':'fd00::1'}],'ports':[{'port':80}]}]}");
        Json.Equal("['web','10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...','<unknown>']", Cells(Endpoints, endpoints));

        JsonObject few = Json.Object("{'metadata':{'name':'web'},'subsets':[{'addresses':[{'ip':'fd00::1'}],'ports':[{'port':80}]}]}");
        Assert.Equal("[fd00::1]:80", (string?)Cells(Endpoints, few)[1]);

        Assert.Equal("<none>", (string?)Cells(Endpoints, Json.Object("{'metadata':{'name':'web'}}"))[1]);
    }
}
