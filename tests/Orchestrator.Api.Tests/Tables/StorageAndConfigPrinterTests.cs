using System.Text.Json.Nodes;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.Tables;

public sealed class StorageAndConfigPrinterTests
{
    [Fact]
    public void Persistent_volume_row()
    {
        JsonObject pv = Json.Object(
            "{'metadata':{'name':'pv1'},'spec':{'capacity':{'storage':'10Gi'},'accessModes':['ReadWriteMany','ReadWriteOnce','ReadWriteOnce'],"
            + "'persistentVolumeReclaimPolicy':'Retain','claimRef':{'namespace':'default','name':'data'},'storageClassName':'fast'},"
            + "'status':{'phase':'Bound'}}");
        Json.Equal("['pv1','10Gi','RWO,RWX','Retain','Bound','default/data','fast','<unset>','','<unknown>','<unset>']", Cells(new GroupKind("", "PersistentVolume"), pv));
    }

    [Fact]
    public void Claim_shows_capacity_only_when_bound()
    {
        GroupKind pvc = new("", "PersistentVolumeClaim");
        JsonObject pending = Json.Object("{'metadata':{'name':'data'},'spec':{'storageClassName':'fast','resources':{'requests':{'storage':'1Gi'}}},'status':{'phase':'Pending'}}");
        Json.Equal("['data','Pending','','','','fast','<unset>','<unknown>','<unset>']", Cells(pvc, pending));

        JsonObject bound = Json.Object(
            "{'metadata':{'name':'data'},'spec':{'volumeName':'pv1','volumeMode':'Filesystem'},"
            + "'status':{'phase':'Bound','capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOncePod']}}");
        Json.Equal("['data','Bound','pv1','1Gi','RWOP','','<unset>','<unknown>','Filesystem']", Cells(pvc, bound));
    }

    [Fact]
    public void Default_storage_class_is_marked()
    {
        JsonObject sc = Json.Object(
            "{'metadata':{'name':'standard','annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'rancher.io/local-path','volumeBindingMode':'WaitForFirstConsumer'}");
        Json.Equal("['standard (default)','rancher.io/local-path','Delete','WaitForFirstConsumer',false,'<unknown>']", Cells(new GroupKind("storage.k8s.io", "StorageClass"), sc));
    }

    [Fact]
    public void Config_counts()
    {
        Json.Equal("['c',3,'<unknown>']", Cells(new GroupKind("", "ConfigMap"), Json.Object("{'metadata':{'name':'c'},'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}")));
        Json.Equal("['s','Opaque',1,'<unknown>']", Cells(new GroupKind("", "Secret"), Json.Object("{'metadata':{'name':'s'},'type':'Opaque','data':{'a':'MQ=='}}")));
        Json.Equal("['default',0,'<unknown>']", Cells(new GroupKind("", "ServiceAccount"), Json.Object("{'metadata':{'name':'default'}}")));
    }

    [Fact]
    public void Networking_rows()
    {
        JsonObject ingress = Json.Object(
            "{'metadata':{'name':'web'},'spec':{'ingressClassName':'nginx','rules':[{'host':'a.example.com'},{},{'host':'b.example.com'},{'host':'c.example.com'},{'host':'d.example.com'}],'tls':[{}]},"
            + "'status':{'loadBalancer':{'ingress':[{'ip':'1.2.3.4'}]}}}");
        Json.Equal("['web','nginx','a.example.com,b.example.com,c.example.com + 2 more...','1.2.3.4','80, 443','<unknown>']", Cells(new GroupKind("networking.k8s.io", "Ingress"), ingress));

        JsonObject ingressClass = Json.Object("{'metadata':{'name':'nginx'},'spec':{'controller':'k8s.io/ingress-nginx','parameters':{'apiGroup':'k8s.example.com','kind':'Params','name':'p'}}}");
        Json.Equal("['nginx','k8s.io/ingress-nginx','Params.k8s.example.com/p','<unknown>']", Cells(new GroupKind("networking.k8s.io", "IngressClass"), ingressClass));

        JsonObject policy = Json.Object("{'metadata':{'name':'deny'},'spec':{'podSelector':{}}}");
        Json.Equal("['deny','<none>','<unknown>']", Cells(new GroupKind("networking.k8s.io", "NetworkPolicy"), policy));
    }
}
