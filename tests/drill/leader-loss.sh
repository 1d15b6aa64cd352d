#!/usr/bin/env bash
# The EventStoreDB operator's drill: a real three-node cluster in Docker (insecure, on this machine only),
# the event-store contract suite through it (connection `esdb://n1,n2,n3?nodePreference=leader`), then the
# leader-loss drill (tests/drill/leader-loss.ts): the leader's container is stopped mid-write and the
# ledger must lose nothing, write nothing twice, keep its subscription and pass `verify`.
#
#   tests/drill/leader-loss.sh                                   # EventStoreDB 24.10
#   ESDB_IMAGE=eventstore/eventstore:23.10.1-bookworm-slim tests/drill/leader-loss.sh
#   ESDB_IMAGE=docker.kurrent.io/kurrent-latest/kurrentdb:latest tests/drill/leader-loss.sh
#   tests/drill/leader-loss.sh --single                          # one node: the contract suite only
#
# Needs Docker with compose v2, curl, and this repository's node_modules. Ports 2111-2113 on 127.0.0.1.
# Written without a Docker engine at hand: it has NOT been run (see README, "EventStoreDB").
set -euo pipefail

cd "$(dirname "$0")/../.."
IMAGE="${ESDB_IMAGE:-eventstore/eventstore:24.10}"
SINGLE=false
[ "${1:-}" = "--single" ] && SINGLE=true
# KurrentDB reads KURRENTDB_* settings; EventStoreDB 23.10 and 24.10 read EVENTSTORE_* (both know these names).
case "$IMAGE" in *kurrent*) P=KURRENTDB_ ;; *) P=EVENTSTORE_ ;; esac

work="$(mktemp -d)"
project="ledger-drill-$$"
compose=(docker compose -p "$project" -f "$work/cluster.yml")
trap '"${compose[@]}" down -v >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

node_service() { # name, last octet, host port, gossip seeds
  cat <<EOF
  $1:
    image: $IMAGE
    environment:
      ${P}INSECURE: "true"
      ${P}RUN_PROJECTIONS: "None"
      ${P}CLUSTER_SIZE: "$( $SINGLE && echo 1 || echo 3 )"
      ${P}REPLICATION_IP: "172.30.240.$2"
      ${P}ADVERTISE_HOST_TO_CLIENT_AS: "127.0.0.1"
      ${P}ADVERTISE_NODE_PORT_TO_CLIENT_AS: "$3"
      ${P}DISCOVER_VIA_DNS: "false"
$( [ -n "$4" ] && echo "      ${P}GOSSIP_SEED: \"$4\"" || true )
    ports:
      - "127.0.0.1:$3:2113"
    networks:
      cluster:
        ipv4_address: 172.30.240.$2
EOF
}

{
  echo "services:"
  if $SINGLE; then
    node_service node1 11 2111 ""
  else
    node_service node1 11 2111 "172.30.240.12:2113,172.30.240.13:2113"
    node_service node2 12 2112 "172.30.240.11:2113,172.30.240.13:2113"
    node_service node3 13 2113 "172.30.240.11:2113,172.30.240.12:2113"
  fi
  cat <<EOF
networks:
  cluster:
    ipam:
      config:
        - subnet: 172.30.240.0/24
EOF
} > "$work/cluster.yml"

echo "== starting $( $SINGLE && echo 'one node' || echo 'three nodes' ) of $IMAGE"
"${compose[@]}" up -d

echo "== waiting for a leader"
for attempt in $(seq 1 90); do
  if curl -fsS http://127.0.0.1:2111/gossip 2>/dev/null | grep -q '"state": *"Leader"'; then break; fi
  [ "$attempt" = 90 ] && { echo "no leader after 180 s"; "${compose[@]}" logs --tail 50; exit 1; }
  sleep 2
done

if $SINGLE; then
  export EVENTSTORE_CONNECTION_STRING="esdb://127.0.0.1:2111?tls=false"
else
  export EVENTSTORE_CONNECTION_STRING="esdb://127.0.0.1:2111,127.0.0.1:2112,127.0.0.1:2113?tls=false&nodePreference=leader"
fi

echo "== the event-store contract suite against $EVENTSTORE_CONNECTION_STRING"
npx jest tests/contract/esdb.contract.test.ts

if ! $SINGLE; then
  echo "== leader-loss drill"
  DRILL_CONNECTION="$EVENTSTORE_CONNECTION_STRING" \
  DRILL_NODES="node1=127.0.0.1:2111,node2=127.0.0.1:2112,node3=127.0.0.1:2113" \
  DRILL_STOP="docker compose -p $project -f $work/cluster.yml stop {service}" \
    node -r ts-node/register/transpile-only tests/drill/leader-loss.ts
fi
