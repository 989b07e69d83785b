#!/usr/bin/env bash
# Installs Orchestrator on one machine: the executable under ROOT/opt/orchestrator, the systemd units, and the
# machine's settings in ROOT/etc/orchestrator/ROLE.env. ROOT is / on a real machine; the namespace-machines test gives
# each "machine" a folder of its own.
#
#   install.sh [--root ROOT] [--from DIR] replica|node KEY=VALUE...
#
# DIR holds `orchestrator` (default: a self-contained build made by publish.sh). KEY=VALUE lines go to the env file
# over the defaults below (see run-replica.sh and run-node.sh for what each start reads).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root=/
from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    *) break ;;
  esac
done
role="${1:?usage: install.sh [--root ROOT] [--from DIR] replica|node KEY=VALUE...}"
shift
case "$role" in replica|node) ;; *) echo "role must be replica or node, not $role" >&2; exit 2 ;; esac
prefix="${root%/}"
if [ -z "$from" ]; then from="$("$here/publish.sh")"; fi
[ -x "$from/orchestrator" ] || { echo "$from/orchestrator is missing" >&2; exit 1; }

mkdir -p "$prefix/opt/orchestrator" "$prefix/etc/orchestrator" "$prefix/etc/systemd/system" "$prefix/var/log" "$prefix/run"
rm -rf "$prefix/opt/orchestrator/bin.new"
cp -a "$from" "$prefix/opt/orchestrator/bin.new"
rm -rf "$prefix/opt/orchestrator/bin"
mv "$prefix/opt/orchestrator/bin.new" "$prefix/opt/orchestrator/bin"
install -m 0755 "$here/run-$role.sh" "$prefix/opt/orchestrator/run-$role.sh"
install -m 0644 "$here/orchestrator-$role.service" "$prefix/etc/systemd/system/orchestrator-$role.service"

env="$prefix/etc/orchestrator/$role.env"
{
  echo "# Written by deploy/install/install.sh; read by /opt/orchestrator/run-$role.sh."
  echo "ORCH_NAME=$(hostname)"
  if [ "$role" = replica ]; then
    echo "ORCH_DATA=$prefix/var/lib/orchestrator"
    echo "ORCH_PKI=$prefix/var/lib/orchestrator/pki"
    echo "ORCH_RAFT_PORT=7001"
    echo "ORCH_GRPC_PORT=8001"
    echo "ORCH_API_PORT=6443"
  else
    echo "ORCH_KUBECONFIG=$prefix/etc/orchestrator/node.conf"
    echo "ORCH_NODE_ROOT=$prefix/var/lib/orchestrator/node"
    echo "ORCH_POD_CIDR=10.88.0.0/24"
  fi
  for setting in "$@"; do
    [[ $setting == *=* ]] || { echo "not KEY=VALUE: $setting" >&2; exit 2; }
    echo "${setting%%=*}=\"${setting#*=}\""
  done
} > "$env.new"
mv "$env.new" "$env"
chmod 0600 "$env"
if [ "$root" = / ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
echo "installed the $role under $root (settings: $env)"
