#!/usr/bin/env bash
# The embedded stack: dockerd, Open vSwitch, the Temporal dev server (with Web UI), the host worker,
# the control worker and the API. Each is started only when it does not already answer, waited for
# by a readiness probe, logged under .state/logs; `stop` stops only what this script started
# (what it started has a pid file or marker under .state/run).
#
#   stack.sh up      infrastructure: dockerd, OVS, Temporal
#   stack.sh host    what a host needs: dockerd, OVS (the tests start their own Temporal)
#   stack.sh app     Archetype's own processes: host worker, control worker, API
#   stack.sh start   both
#   stack.sh stop    stop everything this script started
#   stack.sh status
source "$(dirname "$0")/lib.sh"

start_daemon() { # NAME PIDFILE LOGFILE COMMAND...
  local name="$1" pidfile="$2" logfile="$3"; shift 3
  log "starting $name (log: $logfile)"
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

up_docker() {
  if docker_ok; then log "dockerd: answering"; return; fi
  command -v dockerd >/dev/null || die "dockerd not installed: run scripts/provision.sh"
  start_daemon dockerd "$RUN/dockerd.pid" "$LOGS/dockerd.log" dockerd --pidfile "$RUN/dockerd.own.pid"
  wait_for dockerd 60 docker_ok
}

up_ovs() {
  if ovs_ok; then log "Open vSwitch: answering"; return; fi
  log "starting Open vSwitch (ovsdb-server + ovs-vswitchd)"
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random --no-monitor >>"$LOGS/ovs.log" 2>&1 \
    || { tail -5 "$LOGS/ovs.log"; die "Open vSwitch failed to start (log: $LOGS/ovs.log)"; }
  touch "$RUN/ovs.started"
  wait_for "Open vSwitch" 30 ovs_ok
}

up_temporal() {
  [[ -x "$TEMPORAL_BIN" ]] || die "Temporal CLI missing: run scripts/provision.sh"
  if temporal_ok; then log "Temporal: answering on 127.0.0.1:$TEMPORAL_PORT"; return; fi
  mkdir -p "$STATE/temporal"
  # Persistence to a file so a restart keeps every lab's history; search attributes so the UI can
  # filter runs by lab, host and operation.
  start_daemon "Temporal dev server" "$RUN/temporal.pid" "$LOGS/temporal.log" \
    "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --db-filename "$STATE/temporal/temporal.db" --log-level warn \
    --search-attribute LabName=Keyword --search-attribute HostId=Keyword --search-attribute Operation=Keyword
  wait_for "Temporal" 90 temporal_ok
}

app_proc() { # NAME SCRIPT
  local name="$1" script="$2" pidfile="$RUN/$1.pid"
  if pid_alive "$pidfile"; then log "$name: running (pid $(cat "$pidfile"))"; return; fi
  start_daemon "$name" "$pidfile" "$LOGS/$name.log" node "$ROOT/dist/$script"
}

up() { up_docker; up_ovs; up_temporal; }

app() {
  [[ -f "$ROOT/dist/workers/host.js" ]] || (cd "$ROOT" && npm run build --silent)
  app_proc host-worker workers/host.js
  app_proc control-worker workers/control.js
  app_proc api api/server.js
  wait_for "API" 30 api_ok
}

stop_pid() { # NAME PIDFILE
  local name="$1" pidfile="$2"
  [[ -f "$pidfile" ]] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  stop_pid api "$RUN/api.pid"
  stop_pid control-worker "$RUN/control-worker.pid"
  stop_pid host-worker "$RUN/host-worker.pid"
  stop_pid "Temporal dev server" "$RUN/temporal.pid"
  if [[ -f "$RUN/ovs.started" ]]; then
    log "stopping Open vSwitch"
    /usr/share/openvswitch/scripts/ovs-ctl stop >>"$LOGS/ovs.log" 2>&1 || true
    rm -f "$RUN/ovs.started"
  fi
  stop_pid dockerd "$RUN/dockerd.pid"
}

status() {
  docker_ok && echo "dockerd: up" || echo "dockerd: down"
  ovs_ok && echo "Open vSwitch: up" || echo "Open vSwitch: down"
  temporal_ok && echo "Temporal: up (UI http://127.0.0.1:$TEMPORAL_UI_PORT)" || echo "Temporal: down"
  for p in host-worker control-worker api; do
    pid_alive "$RUN/$p.pid" && echo "$p: up (pid $(cat "$RUN/$p.pid"))" || echo "$p: down"
  done
}

case "${1:-start}" in
  up) up ;;
  host) up_docker; up_ovs ;;
  app) app ;;
  start) up; app ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: stack.sh up|host|app|start|stop|status" ;;
esac
