using k8s;
using k8s.Models;
using Orchestrator.Client.Typed;

namespace Orchestrator.Client;

public sealed partial class KubeClient
{
    /// <summary>Typed access to a built-in kind, e.g. <c>client.Resource&lt;V1Pod&gt;().GetAsync("ns", "p")</c>.</summary>
    public TypedResource<T> Resource<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> => new(this);
}
