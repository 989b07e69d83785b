#!/usr/bin/env bash
# Builds `orchestrator` as a self-contained Linux executable (no .NET needed on the machines) and prints its folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-$PWD/deploy/install/out/linux-x64}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/Orchestrator.Server -c Release -r linux-x64 --self-contained -nologo -v quiet -o "$out" >&2
echo "$out"
