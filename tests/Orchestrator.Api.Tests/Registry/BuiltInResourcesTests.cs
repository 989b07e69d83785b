using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.Registry;

public sealed class BuiltInResourcesTests
{
    private readonly RegistrySnapshot _registry = ResourceRegistry.CreateWithBuiltIns().Snapshot;

    [Theory]
    [InlineData("", "namespaces", "Namespace", "namespace", false, "ns")]
    [InlineData("", "pods", "Pod", "pod", true, "po")]
    [InlineData("", "services", "Service", "service", true, "svc")]
    [InlineData("", "endpoints", "Endpoints", "endpoints", true, "ep")]
    [InlineData("", "nodes", "Node", "node", false, "no")]
    [InlineData("", "configmaps", "ConfigMap", "configmap", true, "cm")]
    [InlineData("", "secrets", "Secret", "secret", true, null)]
    [InlineData("", "events", "Event", "event", true, "ev")]
    [InlineData("", "serviceaccounts", "ServiceAccount", "serviceaccount", true, "sa")]
    [InlineData("", "persistentvolumes", "PersistentVolume", "persistentvolume", false, "pv")]
    [InlineData("", "persistentvolumeclaims", "PersistentVolumeClaim", "persistentvolumeclaim", true, "pvc")]
    [InlineData("", "replicationcontrollers", "ReplicationController", "replicationcontroller", true, "rc")]
    [InlineData("apps", "deployments", "Deployment", "deployment", true, "deploy")]
    [InlineData("apps", "replicasets", "ReplicaSet", "replicaset", true, "rs")]
    [InlineData("apps", "statefulsets", "StatefulSet", "statefulset", true, "sts")]
    [InlineData("apps", "daemonsets", "DaemonSet", "daemonset", true, "ds")]
    [InlineData("batch", "jobs", "Job", "job", true, null)]
    [InlineData("batch", "cronjobs", "CronJob", "cronjob", true, "cj")]
    [InlineData("networking.k8s.io", "ingresses", "Ingress", "ingress", true, "ing")]
    [InlineData("networking.k8s.io", "ingressclasses", "IngressClass", "ingressclass", false, null)]
    [InlineData("networking.k8s.io", "networkpolicies", "NetworkPolicy", "networkpolicy", true, "netpol")]
    [InlineData("storage.k8s.io", "storageclasses", "StorageClass", "storageclass", false, "sc")]
    [InlineData("coordination.k8s.io", "leases", "Lease", "lease", true, null)]
    [InlineData("policy", "poddisruptionbudgets", "PodDisruptionBudget", "poddisruptionbudget", true, "pdb")]
    [InlineData("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", "customresourcedefinition", false, "crd")]
    public void Describes_builtin_resource(string group, string plural, string kind, string singular, bool namespaced, string? shortName)
    {
        ResourceDefinition resource = Assert.IsType<ResourceDefinition>(_registry.Find(group, "v1", plural));

        Assert.Equal(kind, resource.Kind);
        Assert.Equal(singular, resource.Singular);
        Assert.Equal(namespaced, resource.Namespaced);
        Assert.Equal(kind + "List", resource.ListKind);
        Assert.Same(resource, _registry.FindByKind(new GroupVersionKind(group, "v1", kind)));
        if (shortName is null)
        {
            Assert.Empty(resource.ShortNames);
        }
        else
        {
            Assert.Equal(resource, Assert.Single(_registry.FindByShortName(shortName)));
        }
    }

    [Theory]
    [InlineData("", "pods", "status", "", "v1", "Pod", "get,patch,update")]
    [InlineData("", "pods", "binding", "", "v1", "Binding", "create")]
    [InlineData("", "pods", "log", "", "v1", "Pod", "get")]
    [InlineData("", "pods", "exec", "", "v1", "PodExecOptions", "create,get")]
    [InlineData("", "pods", "attach", "", "v1", "PodAttachOptions", "create,get")]
    [InlineData("", "pods", "portforward", "", "v1", "PodPortForwardOptions", "create,get")]
    [InlineData("", "pods", "eviction", "policy", "v1", "Eviction", "create")]
    [InlineData("", "services", "status", "", "v1", "Service", "get,patch,update")]
    [InlineData("", "nodes", "status", "", "v1", "Node", "get,patch,update")]
    [InlineData("apps", "deployments", "scale", "autoscaling", "v1", "Scale", "get,patch,update")]
    [InlineData("apps", "deployments", "status", "apps", "v1", "Deployment", "get,patch,update")]
    [InlineData("apps", "replicasets", "scale", "autoscaling", "v1", "Scale", "get,patch,update")]
    [InlineData("apps", "statefulsets", "scale", "autoscaling", "v1", "Scale", "get,patch,update")]
    [InlineData("apps", "daemonsets", "status", "apps", "v1", "DaemonSet", "get,patch,update")]
    [InlineData("batch", "jobs", "status", "batch", "v1", "Job", "get,patch,update")]
    [InlineData("batch", "cronjobs", "status", "batch", "v1", "CronJob", "get,patch,update")]
    public void Describes_subresources(string group, string plural, string name, string rGroup, string rVersion, string rKind, string verbs)
    {
        SubresourceDefinition sub = Assert.IsType<SubresourceDefinition>(_registry.Find(group, "v1", plural)!.FindSubresource(name));

        Assert.Equal(new GroupVersionKind(rGroup, rVersion, rKind), sub.ResponseKind);
        Assert.Equal(verbs, string.Join(",", sub.Verbs));
    }

    [Fact]
    public void Daemonsets_have_no_scale()
    {
        Assert.Null(_registry.Find("apps", "v1", "daemonsets")!.FindSubresource("scale"));
    }

    [Fact]
    public void Category_all_holds_the_workloads_only()
    {
        string[] all = _registry.FindByCategory("all").Select(r => r.Plural).Order().ToArray();

        Assert.Equal(["cronjobs", "daemonsets", "deployments", "jobs", "pods", "replicasets", "replicationcontrollers", "services", "statefulsets"], all);
    }

    [Fact]
    public void Namespaces_cannot_be_deleted_as_a_collection()
    {
        Assert.False(_registry.Find("", "v1", "namespaces")!.Supports(Verbs.DeleteCollection));
        Assert.True(_registry.Find("", "v1", "pods")!.Supports(Verbs.DeleteCollection));
    }

    [Fact]
    public void Group_versions_start_with_core()
    {
        Assert.Equal(new GroupVersion("", "v1"), _registry.GroupVersions[0]);
        Assert.Contains(new GroupVersion("networking.k8s.io", "v1"), _registry.GroupVersions);
        // Nine stored group-versions (apiextensions.k8s.io/v1 for CRDs, rbac.authorization.k8s.io/v1), metrics.k8s.io/v1beta1
        // (discovery only) and the review groups authentication.k8s.io/v1 and authorization.k8s.io/v1 (not stored).
        Assert.Contains(new GroupVersion("metrics.k8s.io", "v1beta1"), _registry.GroupVersions);
        Assert.Contains(new GroupVersion("apiextensions.k8s.io", "v1"), _registry.GroupVersions);
        Assert.Contains(new GroupVersion("rbac.authorization.k8s.io", "v1"), _registry.GroupVersions);
        Assert.Contains(new GroupVersion("authorization.k8s.io", "v1"), _registry.GroupVersions);
        Assert.Equal(12, _registry.GroupVersions.Length);
    }

    [Fact]
    public void Crds_answer_to_both_short_names_and_api_extensions_category()
    {
        ResourceDefinition crds = _registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;

        Assert.Equal(new[] { "crd", "crds" }, crds.ShortNames);
        Assert.Equal(crds, Assert.Single(_registry.FindByCategory("api-extensions")));
        Assert.Equal(("status", "CustomResourceDefinition"), (crds.Subresources.Single().Name, crds.Subresources.Single().ResponseKind.Kind));
    }

    [Theory]
    [InlineData("pods", "spec.nodeName")]
    [InlineData("events", "involvedObject.uid")]
    [InlineData("nodes", "spec.unschedulable")]
    [InlineData("configmaps", "metadata.namespace")]
    public void Resources_carry_their_selectable_fields(string plural, string field)
    {
        Assert.Contains(field, _registry.Find("", "v1", plural)!.FieldSelectors.Supported);
        Assert.DoesNotContain("metadata.namespace", _registry.Find("", "v1", "nodes")!.FieldSelectors.Supported);
    }
}
