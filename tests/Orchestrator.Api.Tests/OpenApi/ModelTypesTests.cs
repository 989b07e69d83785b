using k8s.Models;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.OpenApi;

public sealed class ModelTypesTests
{
    public static TheoryData<string> BuiltInKinds()
    {
        var kinds = new TheoryData<string>();
        foreach (ResourceDefinition resource in BuiltInResources.All)
        {
            kinds.Add(resource.GroupVersionKind.ToString());
            kinds.Add(new GroupVersionKind(resource.Group, resource.Version, resource.ListKind).ToString());
            foreach (SubresourceDefinition sub in resource.Subresources.Where(s => s.ResponseKind.Kind is not ("PodExecOptions" or "PodAttachOptions" or "PodPortForwardOptions")))
            {
                kinds.Add(sub.ResponseKind.ToString());
            }
        }

        return kinds;
    }

    [Theory]
    [MemberData(nameof(BuiltInKinds))]
    public void Every_built_in_kind_has_a_model(string kind)
    {
        GroupVersionKind gvk = ModelTypes.All.Keys.Single(k => k.ToString() == kind);

        Type model = ModelTypes.Find(gvk)!;

        Assert.Equal(gvk, ModelTypes.KindOf(model));
    }

    [Theory]
    [InlineData(typeof(V1Pod), "", "Pod")]
    [InlineData(typeof(V1Scale), "autoscaling", "Scale")]
    [InlineData(typeof(V1Eviction), "policy", "Eviction")]
    [InlineData(typeof(V1Status), "", "Status")]
    [InlineData(typeof(V1DeleteOptions), "", "DeleteOptions")]
    [InlineData(typeof(V1Binding), "", "Binding")]
    [InlineData(typeof(Corev1Event), "", "Event")]
    public void Maps_kinds_to_models(Type expected, string group, string kind)
    {
        Assert.Equal(expected, ModelTypes.Find(new GroupVersionKind(group, "v1", kind)));
    }

    [Theory]
    [InlineData(typeof(V1Pod), "io.k8s.api.core.v1.Pod")]
    [InlineData(typeof(V1PodSpec), "io.k8s.api.core.v1.PodSpec")]
    [InlineData(typeof(V1PodTemplateSpec), "io.k8s.api.core.v1.PodTemplateSpec")]
    [InlineData(typeof(V1Deployment), "io.k8s.api.apps.v1.Deployment")]
    [InlineData(typeof(V1DeploymentSpec), "io.k8s.api.apps.v1.DeploymentSpec")]
    [InlineData(typeof(V1RollingUpdateDeployment), "io.k8s.api.apps.v1.RollingUpdateDeployment")]
    [InlineData(typeof(V1JobTemplateSpec), "io.k8s.api.batch.v1.JobTemplateSpec")]
    [InlineData(typeof(V1IngressBackend), "io.k8s.api.networking.v1.IngressBackend")]
    [InlineData(typeof(V1PodDisruptionBudgetSpec), "io.k8s.api.policy.v1.PodDisruptionBudgetSpec")]
    [InlineData(typeof(V1LeaseSpec), "io.k8s.api.coordination.v1.LeaseSpec")]
    [InlineData(typeof(V1Scale), "io.k8s.api.autoscaling.v1.Scale")]
    [InlineData(typeof(V1ObjectMeta), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData(typeof(V1ListMeta), "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta")]
    [InlineData(typeof(V1LabelSelector), "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")]
    [InlineData(typeof(V1OwnerReference), "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference")]
    [InlineData(typeof(V1Status), "io.k8s.apimachinery.pkg.apis.meta.v1.Status")]
    [InlineData(typeof(V1DeleteOptions), "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions")]
    [InlineData(typeof(Corev1Event), "io.k8s.api.core.v1.Event")]
    [InlineData(typeof(Discoveryv1EndpointPort), "io.k8s.api.discovery.v1.EndpointPort")]
    public void Names_schemas_after_their_Go_package(Type model, string expected)
    {
        Assert.Equal(expected, ModelSchemaNames.Of(model));
    }
}
