#!/usr/bin/env bash
# Starts this machine's node agent from ETC/node.env (ETC: $ORCH_ETC, default /etc/orchestrator).
set -euo pipefail
etc="${ORCH_ETC:-/etc/orchestrator}"
. "$etc/node.env"
here="$(cd "$(dirname "$0")" && pwd)"
args=(node --name "$ORCH_NAME" --kubeconfig "$ORCH_KUBECONFIG" --root "$ORCH_NODE_ROOT" --node-ip "$ORCH_ADDRESS"
  --pod-cidr "$ORCH_POD_CIDR" --bridge "${ORCH_BRIDGE:-orch0}" --cgroup-parent "${ORCH_CGROUP_PARENT:-orchestrator}")
if [ -n "${ORCH_REGISTRY:-}" ]; then args+=(--registry "$ORCH_REGISTRY"); fi
if [ -n "${ORCH_INSECURE_REGISTRY:-}" ]; then args+=(--insecure-registry "$ORCH_INSECURE_REGISTRY"); fi
# shellcheck disable=SC2206 # extra options are split on spaces on purpose
args+=(${ORCH_EXTRA_ARGS:-})
exec "$here/bin/orchestrator" "${args[@]}"
