#!/usr/bin/env bash
# The README's first command: provision this machine, bring up the embedded stack, and run the
# main job — the smoke workflow, then a deploy of the example lab (three FRR routers running OSPF
# in a triangle, two Linux hosts at the edges). Safe to run again.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/provision.sh
bash scripts/stack.sh up
bash scripts/images.sh
[[ -f dist/workers/host.js && -f dist/workflow-bundle.js ]] || npm run build --silent
bash scripts/stack.sh app

log "smoke workflow: a labelled container and an OVS bridge, created and removed by the host worker"
node bin/archetype.js smoke

log "deploying the example lab examples/frr-triangle"
node bin/archetype.js deploy -t examples/frr-triangle/frr-triangle.clab.yml

# OSPF needs a few seconds after the links come up; show the lab doing its job.
h1=arch-frr-triangle-h1
for i in $(seq 1 90); do
  if docker exec "$h1" ping -c1 -W1 10.3.3.10 >/dev/null 2>&1; then
    log "h1 (10.1.1.10) reaches h2 (10.3.3.10) through the routers: OSPF converged"
    break
  fi
  ((i == 90)) && log "h1 does not reach h2 yet; check the routers: docker exec arch-frr-triangle-r1 vtysh -c 'show ip ospf neighbor'"
  sleep 1
done

cat <<MSG

  Temporal Web UI : http://127.0.0.1:$TEMPORAL_UI_PORT  (filter: LabName="frr-triangle")
  Archetype API   : http://127.0.0.1:$API_PORT  (OpenAPI docs at /docs)
  CLI             : npx archetype inspect frr-triangle
  Try             : docker exec arch-frr-triangle-h1 ping -c3 10.3.3.10
  Stop            : npm run stop   (destroy the lab first: npx archetype destroy frr-triangle)

MSG
