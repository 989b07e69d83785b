#!/usr/bin/env bash
# Starts a local 3-replica cluster on 127.0.0.1 in the foreground (Ctrl-C stops it). Extra arguments go to
# `orchestrator up` (for example --replicas 5 --data /tmp/cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Orchestrator.Server -c Release -nologo -v quiet
exec dotnet src/Orchestrator.Server/bin/Release/net10.0/orchestrator.dll up "$@"
