#!/usr/bin/env bash
# Starts a local cluster on 127.0.0.1 in the foreground (Ctrl-C stops it): 3 replicas and, as root, a registry holding
# busybox and one real node agent (runc); without root, simulated nodes. Extra arguments go to `orchestrator up` (for
# example --replicas 5 --nodes 2 --data /tmp/cluster, or --detach).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib/requirements.sh
if [ "$(id -u)" -eq 0 ]; then
  # What real nodes need; when it cannot be installed, `up` says what is missing and uses simulated nodes.
  ensure_tools setsid:util-linux ip:iproute2 runc:runc busybox:busybox-static docker-registry:docker-registry \
    || echo "could not install the real nodes' tools; continuing" >&2
fi
# Native AOT for the container shim; without them the build skips it and nodes use the slower managed shim.
ensure_tools clang:clang /usr/include/zlib.h:zlib1g-dev \
  || echo "could not install clang and zlib1g-dev; the container shim will be the managed one" >&2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Orchestrator.Server -c Release -nologo -v quiet
exec dotnet src/Orchestrator.Server/bin/Release/net10.0/orchestrator.dll up "$@"
