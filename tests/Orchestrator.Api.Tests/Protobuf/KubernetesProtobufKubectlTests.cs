using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tests.Protobuf;

/// <summary>Decoding what kubectl's generator commands really send; see Fixtures/capture.py for each command.</summary>
public sealed class KubernetesProtobufKubectlTests
{
    [Fact]
    public void ConfigMap()
    {
        Json.Equal(
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm1','namespace':'default'},'data':{'a':'b','c':'d'}}",
            KubectlFixtures.Decode("configmap"));
    }

    [Fact]
    public void SecretDataIsBase64()
    {
        Json.Equal(
            "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s1','namespace':'default'},'data':{'k':'dg=='}}",
            KubectlFixtures.Decode("secret"));
    }

    [Fact]
    public void NamespaceKeepsItsEmptySpec()
    {
        Json.Equal(
            "{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'ns1'},'spec':{}}",
            KubectlFixtures.Decode("namespace"));
    }

    [Fact]
    public void Deployment()
    {
        Json.Equal(
            """
            {'apiVersion':'apps/v1','kind':'Deployment',
             'metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},
             'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'}},
               'template':{'metadata':{'labels':{'app':'web'}},
                 'spec':{'containers':[{'name':'nginx','image':'nginx:1.25','ports':[{'containerPort':80}],'resources':{}}]}},
               'strategy':{}}}
            """,
            KubectlFixtures.Decode("deployment"));
    }

    [Fact]
    public void ServiceClusterIpTargetPortIsANumber()
    {
        Json.Equal(
            """
            {'apiVersion':'v1','kind':'Service','metadata':{'name':'svc1','namespace':'default','labels':{'app':'svc1'}},
             'spec':{'ports':[{'name':'80-8080','protocol':'TCP','port':80,'targetPort':8080}],
               'selector':{'app':'svc1'},'type':'ClusterIP'}}
            """,
            KubectlFixtures.Decode("service-clusterip"));
    }

    [Fact]
    public void ServiceNodePortNamedTargetPortIsAString()
    {
        JsonNode port = KubectlFixtures.Decode("service-nodeport")["spec"]!["ports"]![0]!;
        Json.Equal("{'name':'80-http','protocol':'TCP','port':80,'targetPort':'http','nodePort':30080}", port);
    }

    [Fact]
    public void ServiceExternalName()
    {
        JsonNode spec = KubectlFixtures.Decode("service-externalname")["spec"]!;
        Json.Equal("{'selector':{'app':'svc3'},'type':'ExternalName','externalName':'example.com'}", spec);
    }

    [Fact]
    public void Job()
    {
        Json.Equal(
            """
            {'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'j1','namespace':'default'},
             'spec':{'template':{'metadata':{},'spec':{
               'containers':[{'name':'j1','image':'busybox','command':['echo','hi'],'resources':{}}],
               'restartPolicy':'Never'}}}}
            """,
            KubectlFixtures.Decode("job"));
    }

    [Fact]
    public void CronJob()
    {
        Json.Equal(
            """
            {'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'cj1','namespace':'default'},
             'spec':{'schedule':'*/1 * * * *','jobTemplate':{'metadata':{'name':'cj1'},'spec':{'template':{'metadata':{},'spec':{
               'containers':[{'name':'cj1','image':'busybox','command':['date'],'resources':{}}],
               'restartPolicy':'OnFailure'}}}}}}
            """,
            KubectlFixtures.Decode("cronjob"));
    }

    [Fact]
    public void SelfSubjectAccessReview()
    {
        Json.Equal(
            """
            {'apiVersion':'authorization.k8s.io/v1','kind':'SelfSubjectAccessReview','metadata':{},
             'spec':{'resourceAttributes':{'namespace':'default','verb':'list','resource':'pods'}}}
            """,
            KubectlFixtures.Decode("selfsubjectaccessreview"));
    }

    [Fact]
    public void SelfSubjectRulesReview()
    {
        Json.Equal(
            "{'apiVersion':'authorization.k8s.io/v1','kind':'SelfSubjectRulesReview','metadata':{},'spec':{'namespace':'default'}}",
            KubectlFixtures.Decode("selfsubjectrulesreview"));
    }

    [Fact]
    public void SelfSubjectReview()
    {
        Json.Equal(
            "{'apiVersion':'authentication.k8s.io/v1','kind':'SelfSubjectReview','metadata':{}}",
            KubectlFixtures.Decode("selfsubjectreview"));
    }

    [Fact]
    public void TokenRequest()
    {
        Json.Equal(
            "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','metadata':{},'spec':{'audiences':['api'],'expirationSeconds':600}}",
            KubectlFixtures.Decode("tokenrequest"));
    }

    [Fact]
    public void HorizontalPodAutoscaler()
    {
        Json.Equal(
            """
            {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
             'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web','apiVersion':'apps/v1'},
               'minReplicas':2,'maxReplicas':5,'targetCPUUtilizationPercentage':80}}
            """,
            KubectlFixtures.Decode("hpa"));
    }
}
