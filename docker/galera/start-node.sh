#!/bin/bash
# Starts a Galera node of docker/compose.yaml through the image's own entrypoint, bootstrapping a new cluster only
# where that is safe:
#  - galera1 (GALERA_FIRST=1) on the cluster's very first start, its data directory empty;
#  - the node that left last after the whole cluster was shut down cleanly (grastate.dat: safe_to_bootstrap: 1).
# Every other start joins the running cluster (restarted by Docker until one is there). After all nodes crashed,
# Galera re-forms the cluster itself (pc.recovery); docs/deploy.md says what to do when it cannot.
set -euo pipefail
datadir=${HMIS_GALERA_DATADIR:-/var/lib/mysql}
if { [ "${GALERA_FIRST:-0}" = 1 ] && [ ! -d "$datadir/mysql" ]; } || grep -qs '^safe_to_bootstrap: *1' "$datadir/grastate.dat"; then
  echo "galera: bootstrapping a new cluster from this node"
  set -- "$@" --wsrep-new-cluster
fi
exec docker-entrypoint.sh "$@"
