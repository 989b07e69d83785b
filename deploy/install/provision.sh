#!/usr/bin/env bash
# Brings one installed machine (install.sh) into the cluster. The provisioner chooses one bootstrap token per joining
# machine ahead (`orchestrator token generate`, or any "[a-z0-9]{6}.[a-z0-9]{16}"): the first replica makes them valid,
# each other machine joins with its own. No key leaves the first machine by hand: a replica's token unlocks the PKI,
# a node's token a kubeconfig made for that node.
#
#   provision.sh [--root ROOT] first [--servers "URL..."] [--replica-tokens "TOKEN..."] [--node-tokens "NAME=TOKEN..."]
#       starts the first replica as a cluster of one and writes ROOT/etc/orchestrator/admin.conf (for every URL)
#   provision.sh [--root ROOT] replica --first ADDRESS --token TOKEN [--ca-cert-hash sha256:HEX]
#       joins, starts empty and is added to the cluster (`orchestrator member add` through the first replica)
#   provision.sh [--root ROOT] node --server URL --token TOKEN [--ca-cert-hash sha256:HEX]
#       joins (a kubeconfig of its own) and starts the node agent
#
# Without --ca-cert-hash a joining machine trusts the CA the server shows (--unsafe-skip-ca-verification): fine on
# Vagrant's private network; elsewhere pass the hash `orchestrator token create` prints.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root=/
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    *) break ;;
  esac
done
step="${1:?usage: see the top of provision.sh}"
shift
servers="" replica_tokens="" node_tokens="" first="" server="" token="" hash=""
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers="$2"; shift 2 ;;
    --replica-tokens) replica_tokens="$2"; shift 2 ;;
    --node-tokens) node_tokens="$2"; shift 2 ;;
    --first) first="$2"; shift 2 ;;
    --server) server="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --ca-cert-hash) hash="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
prefix="${root%/}"
etc="$prefix/etc/orchestrator"
orchestrator="$prefix/opt/orchestrator/bin/orchestrator"

start_service() {
  if [ "$root" = / ] && [ -d /run/systemd/system ]; then
    systemctl enable --now "orchestrator-$1"
  else
    # No systemd (the namespace-machines test): the unit's own start script, in a session of its own.
    ORCH_ETC="$etc" setsid "$prefix/opt/orchestrator/run-$1.sh" >> "$prefix/var/log/orchestrator-$1.log" 2>&1 < /dev/null &
    echo $! > "$prefix/run/orchestrator-$1.pid"
  fi
}

wait_ready() { # URL: until /readyz answers 200 (the replica's bootstrap objects exist), at most 120 s
  for _ in $(seq 1 240); do
    if curl -sfk --max-time 2 "$1/readyz" > /dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not become ready" >&2
  return 1
}

setting() { (. "$etc/$1.env"; eval "echo \"\${$2:-}\""); }

join() { # SERVER OUTPUT-OPTION...: fetch what the token unlocks; waits up to 10 minutes for the first machine
  local url="$1"; shift
  local verify=(--unsafe-skip-ca-verification)
  if [ -n "$hash" ]; then verify=(--ca-cert-hash "$hash"); fi
  [ -n "$token" ] || { echo "--token is required" >&2; exit 2; }
  "$orchestrator" join --server "$url" --token "$token" "${verify[@]}" --wait 600 "$@"
}

case "$step" in
  first)
    address="$(setting replica ORCH_ADDRESS)"
    pki="$(setting replica ORCH_PKI)"
    api="https://$address:$(setting replica ORCH_API_PORT)"
    grep -q '^ORCH_PEERS=' "$etc/replica.env" || echo "ORCH_PEERS=\"$address:$(setting replica ORCH_RAFT_PORT)\"" >> "$etc/replica.env"
    start_service replica
    wait_ready "$api"
    server_args=(--server "$api")
    for url in $servers; do [ "$url" = "$api" ] || server_args+=(--server "$url"); done
    "$orchestrator" kubeconfig --pki "$pki" "${server_args[@]}" --out "$etc/admin.conf"
    for t in $replica_tokens; do
      "$orchestrator" token create --kubeconfig "$etc/admin.conf" --pki "$pki" --ttl-hours 2 --token "$t" --server "$api"
    done
    for pair in $node_tokens; do
      "$orchestrator" token create --kubeconfig "$etc/admin.conf" --pki "$pki" --ttl-hours 2 --token "${pair#*=}" \
        --node "${pair%%=*}" "${server_args[@]}"
    done
    echo "the first replica serves $api; admin kubeconfig: $etc/admin.conf"
    ;;
  replica)
    [ -n "$first" ] || { echo "--first ADDRESS is required" >&2; exit 2; }
    address="$(setting replica ORCH_ADDRESS)"
    pki="$(setting replica ORCH_PKI)"
    join "https://$first:$(setting replica ORCH_API_PORT)" --pki "$pki"
    start_service replica
    "$orchestrator" member add --pki "$pki" --via "$first:$(setting replica ORCH_GRPC_PORT)" --raft "$address:$(setting replica ORCH_RAFT_PORT)"
    wait_ready "https://$address:$(setting replica ORCH_API_PORT)"
    # Membership lives in memory, seeded at start: a restart must name the members, not start empty again.
    peers="$("$orchestrator" member list --pki "$pki" --via "$first:$(setting replica ORCH_GRPC_PORT)" | awk '/^[0-9.]+:[0-9]+/ {print $1}' | paste -sd, -)"
    echo "ORCH_PEERS=\"$peers\"" >> "$etc/replica.env"
    ;;
  node)
    [ -n "$server" ] || { echo "--server URL is required" >&2; exit 2; }
    join "$server" --kubeconfig "$(setting node ORCH_KUBECONFIG)"
    if [ "$(id -u)" -eq 0 ] && [ -f "$here/../lib/requirements.sh" ]; then
      . "$here/../lib/requirements.sh"
      ensure_tools setsid:util-linux ip:iproute2 runc:runc iptables:iptables
    fi
    start_service node
    ;;
  *) echo "unknown step $step (first, replica or node)" >&2; exit 2 ;;
esac
