#!/usr/bin/env bash
# Starts this machine's replica from ETC/replica.env (ETC: $ORCH_ETC, default /etc/orchestrator). systemd's unit and
# the namespace-machines test both run it, so a machine is started the same way with or without systemd.
set -euo pipefail
etc="${ORCH_ETC:-/etc/orchestrator}"
. "$etc/replica.env"
here="$(cd "$(dirname "$0")" && pwd)"
args=(server --data "$ORCH_DATA" --pki "$ORCH_PKI"
  --raft "$ORCH_ADDRESS:$ORCH_RAFT_PORT" --grpc "$ORCH_ADDRESS:$ORCH_GRPC_PORT" --api "$ORCH_ADDRESS:$ORCH_API_PORT"
  --advertise-address "$ORCH_ADDRESS")
# The first replica starts as a cluster of one; the others start empty and wait for `orchestrator member add`. A
# replica that already has a log keeps the membership recorded in it.
if [ -n "${ORCH_PEERS:-}" ]; then args+=(--peers "$ORCH_PEERS"); else args+=(--join); fi
# shellcheck disable=SC2206 # extra options are split on spaces on purpose
args+=(${ORCH_EXTRA_ARGS:-})
exec "$here/bin/orchestrator" "${args[@]}"
