using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>
/// A CustomResourceDefinition's life through kubectl 1.32, as against kube-apiserver 1.32: a simple CRD and an object of
/// it, a stricter version of the CRD (validation, printer columns, status subresource, explain, watch), and deletion of
/// the CRD with its objects. Every case drives one replica and checks through the others.
/// </summary>
public sealed partial class CustomResourceKubectlTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const string CrdName = "databases.example.com";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static int Other(int replica) => replica % 3 + 1;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task DatabaseCrdFromSimpleToStrictToDeleted(int replica)
    {
        // A case that failed half way leaves the CRD behind; each case starts without it.
        await DeleteDefinitionAsync(replica, "--ignore-not-found");
        var ns = await fixture.NamespaceAsync(replica);

        await SimpleDefinitionAndAnObjectAsync(replica, ns);
        await StrictDefinitionAsync(replica, ns);
        await DeletingTheDefinitionDeletesItsObjectsAsync(replica, ns);
    }

    private async Task SimpleDefinitionAndAnObjectAsync(int replica, string ns)
    {
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/{CrdName} created",
            await fixture.OkWithInputAsync(replica, SimpleDefinition, "apply", "-f", "-"));
        await EstablishedAsync(replica);

        Assert.Contains("database.example.com/my-db created",
            await fixture.OkWithInputAsync(replica, Database("my-db", size: "10Gi", version: "14.5"), "-n", ns, "apply", "-f", "-"));

        var reader = Other(replica);
        var table = await fixture.OkAsync(reader, "-n", ns, "get", "databases");
        Assert.Matches(@"^NAME\s+AGE\s*$", FirstLine(table)); // no printer columns yet: name and age only
        Assert.Matches(@"(?m)^my-db\s+\S+\s*$", table);

        var yaml = await fixture.OkAsync(reader, "-n", ns, "get", "db", "my-db", "-o", "yaml");
        Assert.Contains("apiVersion: example.com/v1", yaml);
        Assert.Contains("kind: Database", yaml);
        Assert.Contains("size: 10Gi", yaml);
        Assert.Contains("version: \"14.5\"", yaml); // a string, quoted by the YAML printer because it reads as a number

        for (var each = 1; each <= 3; each++)
            Assert.Matches(@"(?m)^my-db\s", await fixture.OkAsync(each, "-n", ns, "get", "db"));
    }

    private async Task StrictDefinitionAsync(int replica, string ns)
    {
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/{CrdName} configured",
            await fixture.OkWithInputAsync(replica, StrictDefinition, "apply", "-f", "-"));
        await EstablishedAsync(replica);
        var reader = Other(replica);

        // The printer columns (served as a Table by the API server). A CRD update reaches each replica's handler on its own
        // time, as in kube-apiserver; until then the old schema would prune spec.replicas, so every replica is waited for.
        for (var each = 1; each <= 3; each++)
        {
            await HoldsAsync(each, ["-n", ns, "get", "db"], output => Regex.IsMatch(FirstLine(output), @"^NAME\s+SIZE\s+VERSION\s+REPLICAS\s+AGE\s*$"),
                $"kubectl get db on replica-{each} prints NAME SIZE VERSION REPLICAS AGE");
        }

        Assert.Contains("database.example.com/my-db patched",
            await fixture.OkAsync(replica, "-n", ns, "patch", "db", "my-db", "--type=merge", "-p", """{"spec":{"replicas":3}}"""));
        Assert.Matches(@"(?m)^my-db\s+10Gi\s+14\.5\s+3\s+\S+\s*$", await fixture.OkAsync(reader, "-n", ns, "get", "db", "my-db"));

        // A watch on one replica sees a change written through another.
        using (var watch = fixture.Kubectl.Start(fixture.Context(replica), "-n", ns, "get", "db", "-w", "--request-timeout=60s"))
        {
            await Eventually.HoldsAsync(() => Task.FromResult(watch.Lines.Any(l => Regex.IsMatch(l, @"^my-db\s+10Gi\s"))), Bound,
                () => string.Join("\n", watch.Lines) + watch.Error);
            await fixture.OkAsync(reader, "-n", ns, "patch", "db", "my-db", "--type=merge", "-p", """{"spec":{"size":"20Gi"}}""");
            await Eventually.HoldsAsync(() => Task.FromResult(watch.Lines.Any(l => Regex.IsMatch(l, @"^my-db\s+20Gi\s+14\.5\s+3\s"))), Bound,
                () => string.Join("\n", watch.Lines) + watch.Error);
        }

        // explain reads the CRD's schema from /openapi/v3.
        await HoldsAsync(reader, ["explain", "database.spec"], output =>
                Regex.IsMatch(output, @"KIND:\s+Database") && Regex.IsMatch(output, @"GROUP:\s+example\.com") && Regex.IsMatch(output, @"VERSION:\s+v1")
                && Regex.IsMatch(output, @"(?m)^\s+replicas\s+<integer>") && Regex.IsMatch(output, @"(?m)^\s+size\s+<string>")
                && Regex.IsMatch(output, @"(?m)^\s+version\s+<string>"),
            "kubectl explain database.spec lists replicas <integer>, size <string>, version <string>");

        // Server-side apply takes the version over from the client-side apply (a conflict without --force-conflicts).
        var applied = await fixture.OkWithInputAsync(replica, Database("my-db", size: "20Gi", version: "15.1", replicas: 3),
            "-n", ns, "apply", "--server-side", "--force-conflicts", "-f", "-");
        Assert.Contains("database.example.com/my-db serverside-applied", applied);
        Assert.Equal("20Gi 15.1 3", await fixture.OkAsync(reader, "-n", ns, "get", "db", "my-db", "-o", "jsonpath={.spec.size} {.spec.version} {.spec.replicas}"));
        var managers = await fixture.OkAsync(reader, "-n", ns, "get", "db", "my-db", "--show-managed-fields",
            "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation} {end}");
        Assert.Contains("kubectl:Apply", managers);

        // The schema rejects an invalid object, naming each field, through kubectl and the raw API alike.
        var invalid = await fixture.FailsAsync(replica, Database("bad-db", size: "ten", version: "9.9"), "-n", ns, "apply", "-f", "-");
        Assert.Contains("The Database \"bad-db\" is invalid: ", invalid); // kubectl's form of a 422 with causes, one "* " line each
        Assert.Contains("spec.size: Invalid value: \"ten\": spec.size in body should match '^[0-9]+(Mi|Gi|Ti)$'", invalid);
        Assert.Contains("spec.version: Unsupported value: \"9.9\": supported values: \"13.0\", \"14.5\", \"15.1\"", invalid);
        await RawInvalidAsync(reader, ns);
        var outOfRange = await fixture.FailsAsync(replica, Database("big-db", size: "1Ti", version: "13.0", replicas: 9), "-n", ns, "apply", "-f", "-");
        Assert.Contains("spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5", outOfRange);
        Assert.Contains("Error from server (NotFound): databases.example.com \"bad-db\" not found",
            await fixture.FailsAsync(reader, null, "-n", ns, "get", "db", "bad-db"));

        Assert.Contains("database.example.com \"my-db\" deleted", await fixture.OkAsync(replica, "-n", ns, "delete", "db", "my-db"));
        Assert.Contains("Error from server (NotFound): databases.example.com \"my-db\" not found",
            await fixture.FailsAsync(reader, null, "-n", ns, "get", "db", "my-db"));
    }

    /// <summary>POST of the invalid object over HTTPS: 422 Invalid, a cause for each field.</summary>
    private async Task RawInvalidAsync(int replica, string ns)
    {
        using var client = fixture.Cluster.CreateHttpClient(fixture.Cluster.Replicas[replica - 1]);
        var body = new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Database",
            ["metadata"] = new JsonObject { ["name"] = "bad-db" },
            ["spec"] = new JsonObject { ["size"] = "ten", ["version"] = "9.9" },
        };
        using var response = await client.PostAsync($"/apis/example.com/v1/namespaces/{ns}/databases",
            new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"POST of an invalid Database: expected 422, got {(int)response.StatusCode} {text}");
        var status = JsonNode.Parse(text)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.StartsWith("Database.example.com \"bad-db\" is invalid: ", (string?)status["message"]);
        Assert.Equal(422, (int?)status["code"]);
        Assert.Equal("Database", (string?)status["details"]?["kind"]);
        Assert.Equal("example.com", (string?)status["details"]?["group"]);
        Assert.Equal("bad-db", (string?)status["details"]?["name"]);
        var causes = status["details"]?["causes"]?.AsArray() ?? [];
        var fields = causes.Select(c => (string?)c?["field"]).ToList();
        Assert.True(fields.Contains("spec.size") && fields.Contains("spec.version"), $"causes name spec.size and spec.version: {causes.ToJsonString()}");
        Assert.Contains(causes, c => (string?)c?["field"] == "spec.size" && (string?)c["reason"] == "FieldValueInvalid");
        Assert.Contains(causes, c => (string?)c?["field"] == "spec.version" && (string?)c["reason"] == "FieldValueNotSupported");
    }

    private async Task DeletingTheDefinitionDeletesItsObjectsAsync(int replica, string ns)
    {
        var reader = Other(replica);
        await fixture.OkWithInputAsync(replica, Database("leftover", size: "1Gi", version: "13.0", replicas: 1), "-n", ns, "apply", "-f", "-");
        Assert.Matches(@"(?m)^leftover\s", await fixture.OkAsync(reader, "-n", ns, "get", "db"));

        // kubectl waits for the CRD to be gone, which happens once its objects are.
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io \"{CrdName}\" deleted", await DeleteDefinitionAsync(replica));

        using (var client = fixture.Cluster.CreateHttpClient(fixture.Cluster.Replicas[reader - 1]))
        {
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await client.GetAsync("/apis/example.com/v1");
                return response.StatusCode == HttpStatusCode.NotFound;
            }, Bound, () => "example.com/v1 still in discovery");
        }
        Assert.DoesNotContain("databases", await fixture.OkAsync(reader, "api-resources", "--api-group=example.com", "-o", "name"));
        Assert.Contains("error: the server doesn't have a resource type \"db\"", await fixture.FailsAsync(reader, null, "-n", ns, "get", "db"));

        // The same name again starts empty.
        await fixture.OkWithInputAsync(Other(reader), SimpleDefinition, "apply", "-f", "-");
        await EstablishedAsync(Other(reader));
        var empty = await fixture.Kubectl.RunAsync(fixture.Context(reader), "-n", ns, "get", "db");
        Assert.True(empty.Succeeded, $"kubectl get db after re-creating the CRD: {empty}");
        Assert.Equal("", empty.Output);
        Assert.Contains($"No resources found in {ns} namespace.", empty.Error);
        Assert.Contains("Error from server (NotFound): databases.example.com \"leftover\" not found",
            await fixture.FailsAsync(replica, null, "-n", ns, "get", "db", "leftover"));
        await DeleteDefinitionAsync(replica);
    }

    /// <summary>kubectl delete crd, which waits (60 s at most) until the CRD is gone; its output.</summary>
    private async Task<string> DeleteDefinitionAsync(int replica, params string[] options)
    {
        string[] args = ["delete", "crd", CrdName, "--timeout=60s", .. options];
        var result = await fixture.Kubectl.RunAsync(fixture.Context(replica), args, timeout: TimeSpan.FromSeconds(90));
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)} on replica-{replica}: {result}");
        return result.Output;
    }

    /// <summary>kubectl wait for the Established condition, on the given replica.</summary>
    private async Task EstablishedAsync(int replica) =>
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/{CrdName} condition met",
            await fixture.OkAsync(replica, "wait", "--for=condition=Established", $"crd/{CrdName}", "--timeout=30s"));

    /// <summary>Runs kubectl until its output satisfies the condition (a CRD change reaches handlers and OpenAPI asynchronously).</summary>
    private async Task HoldsAsync(int replica, string[] args, Func<string, bool> condition, string what)
    {
        KubectlResult? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await fixture.Kubectl.RunAsync(fixture.Context(replica), args);
            return last.Succeeded && condition(last.Output);
        }, Bound, () => $"{what}; last: kubectl {string.Join(' ', args)}: {last}");
    }

    private static string FirstLine(string output) => output.Split('\n')[0];
}
