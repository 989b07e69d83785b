#!/usr/bin/env python3
"""Captures the protobuf request bodies kubectl sends, as test fixtures.

Rerun from this directory (needs /usr/bin/kubectl, no cluster, no credentials):
    python3 capture.py
It starts a fake API server on 127.0.0.1 (plain HTTP, a free port), runs each kubectl command
below against it with HOME and the cache in a temporary directory, and writes every POST body to
<fixture>.pb here. The server answers just enough (version, legacy discovery, 201 echoes) for the
commands to finish.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))

# (fixture name, kubectl arguments)
COMMANDS = [
    ("configmap", ["create", "configmap", "cm1", "--from-literal=a=b", "--from-literal=c=d"]),
    ("secret", ["create", "secret", "generic", "s1", "--from-literal=k=v"]),
    ("namespace", ["create", "namespace", "ns1"]),
    ("deployment", ["create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80"]),
    ("service-clusterip", ["create", "service", "clusterip", "svc1", "--tcp=80:8080"]),
    ("service-nodeport", ["create", "service", "nodeport", "svc2", "--tcp=80:http", "--node-port=30080"]),
    ("service-externalname", ["create", "service", "externalname", "svc3", "--external-name=example.com"]),
    ("job", ["create", "job", "j1", "--image=busybox", "--", "echo", "hi"]),
    ("cronjob", ["create", "cronjob", "cj1", "--image=busybox", "--schedule=*/1 * * * *", "--", "date"]),
    ("selfsubjectaccessreview", ["auth", "can-i", "list", "pods", "-n", "default"]),
    ("selfsubjectrulesreview", ["auth", "can-i", "--list", "-n", "default"]),
    ("selfsubjectreview", ["auth", "whoami"]),
    ("tokenrequest", ["create", "token", "default", "--audience=api", "--duration=10m"]),
    ("hpa", ["autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=80"]),
]


def res(name, kind, verbs, namespaced=True, group=None, version=None):
    r = {"name": name, "singularName": "", "namespaced": namespaced, "kind": kind, "verbs": verbs}
    if group is not None:
        r["group"], r["version"] = group, version
    return r


CRUD = ["create", "delete", "get", "list", "patch", "update", "watch"]
RESOURCES = {
    "/api/v1": [
        res("configmaps", "ConfigMap", CRUD), res("secrets", "Secret", CRUD),
        res("namespaces", "Namespace", CRUD, namespaced=False), res("services", "Service", CRUD),
        res("pods", "Pod", CRUD), res("serviceaccounts", "ServiceAccount", CRUD),
        res("serviceaccounts/token", "TokenRequest", ["create"], group="authentication.k8s.io", version="v1"),
    ],
    "/apis/apps/v1": [
        res("deployments", "Deployment", CRUD),
        res("deployments/scale", "Scale", ["get", "patch", "update"], group="autoscaling", version="v1"),
    ],
    "/apis/batch/v1": [res("jobs", "Job", CRUD), res("cronjobs", "CronJob", CRUD)],
    "/apis/authorization.k8s.io/v1": [
        res("selfsubjectaccessreviews", "SelfSubjectAccessReview", ["create"], namespaced=False),
        res("selfsubjectrulesreviews", "SelfSubjectRulesReview", ["create"], namespaced=False),
    ],
    "/apis/authentication.k8s.io/v1": [
        res("selfsubjectreviews", "SelfSubjectReview", ["create"], namespaced=False),
    ],
    "/apis/autoscaling/v1": [res("horizontalpodautoscalers", "HorizontalPodAutoscaler", CRUD)],
}

# Kind answered for a POST, by the last resource segment of its path.
POSTED = {
    "configmaps": ("v1", "ConfigMap"), "secrets": ("v1", "Secret"), "namespaces": ("v1", "Namespace"),
    "services": ("v1", "Service"), "deployments": ("apps/v1", "Deployment"),
    "jobs": ("batch/v1", "Job"), "cronjobs": ("batch/v1", "CronJob"),
    "selfsubjectaccessreviews": ("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
    "selfsubjectrulesreviews": ("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
    "selfsubjectreviews": ("authentication.k8s.io/v1", "SelfSubjectReview"),
    "token": ("authentication.k8s.io/v1", "TokenRequest"),
    "horizontalpodautoscalers": ("autoscaling/v1", "HorizontalPodAutoscaler"),
}

# The deployment `kubectl autoscale` reads before posting its HPA.
DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default", "uid": "u1", "resourceVersion": "1"},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}},
}


class Capture:
    """Where the body of the next POST goes; set per command by the driver."""
    target = None


def discovery(path):
    if path == "/version":
        return {"major": "1", "minor": "32", "gitVersion": "v1.32.4", "platform": "linux/amd64"}
    if path == "/api":
        return {"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
    if path == "/apis":
        groups = []
        for gv in RESOURCES:
            if gv == "/api/v1":
                continue
            g, v = gv.split("/")[2:4]
            ver = {"groupVersion": f"{g}/{v}", "version": v}
            groups.append({"name": g, "versions": [ver], "preferredVersion": ver})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    if path in RESOURCES:
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": path.removeprefix("/apis/").removeprefix("/api/"),
                "resources": RESOURCES[path]}
    if path == "/apis/apps/v1/namespaces/default/deployments/web":
        return DEPLOYMENT
    return None


class Handler(BaseHTTPRequestHandler):
    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        obj = discovery(self.path.split("?")[0])
        if obj is None:
            self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404})
        else:
            self.reply(200, obj)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if Capture.target:
            with open(Capture.target, "wb") as f:
                f.write(body)
        print(f"  POST {self.path} {self.headers.get('Content-Type')} {len(body)} bytes", file=sys.stderr)
        api_version, kind = POSTED.get(self.path.split("?")[0].rstrip("/").split("/")[-1], ("v1", "Status"))
        obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "captured", "namespace": "default"}}
        if kind == "TokenRequest":
            obj["status"] = {"token": "captured-token", "expirationTimestamp": "2030-01-01T00:00:00Z"}
        elif kind == "SelfSubjectAccessReview":
            obj["status"] = {"allowed": True}
        elif kind == "SelfSubjectRulesReview":
            obj["status"] = {"resourceRules": [], "nonResourceRules": [], "incomplete": False}
        elif kind == "SelfSubjectReview":
            obj["status"] = {"userInfo": {"username": "captured", "groups": ["system:authenticated"]}}
        self.reply(201, obj)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "KUBECONFIG": os.path.join(home, "none")}
        failed = 0
        for name, args in COMMANDS:
            Capture.target = os.path.join(HERE, name + ".pb")
            print(f"{name}: kubectl {' '.join(args)}", file=sys.stderr)
            cmd = ["/usr/bin/kubectl", f"--server={url}", "--insecure-skip-tls-verify",
                   f"--cache-dir={os.path.join(home, 'cache')}", "-n", "default", *args]
            r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
            print("  " + (r.stdout + r.stderr).strip().replace("\n", "\n  "), file=sys.stderr)
            failed += r.returncode != 0
        server.shutdown()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
