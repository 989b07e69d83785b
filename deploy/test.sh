#!/usr/bin/env bash
# Runs every test of the solution: unit tests, cluster tests with real replica processes on 127.0.0.1,
# end-to-end tests with the real kubectl, and node tests with real runc containers (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib/requirements.sh
ensure_tools setsid:util-linux runc:runc ip:iproute2 busybox:busybox-static docker-registry:docker-registry skopeo:skopeo \
  clang:clang /usr/include/zlib.h:zlib1g-dev promtool:prometheus iptables:iptables curl:curl vagrant:vagrant chromium:chromium
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Orchestrator.sln -c Debug -nologo -v quiet
# One test assembly at a time: the cluster tests start many processes and the machine may have 2 cores.
dotnet test Orchestrator.sln -c Debug --no-build -nologo -m:1
