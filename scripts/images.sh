#!/usr/bin/env bash
# Builds the local images Archetype's tests and demo use, from recipes under images/:
#   archetype/busybox:latest  Debian's static busybox on an empty root (sh, ip, ping, nc, ...)
#   archetype/frr:latest      Debian bookworm minbase + FRR (debootstrap | docker import)
# Idempotent and cached: each image carries the label archetype.recipe=<sha256 of its recipe
# files>; an image whose label matches the current recipe is not rebuilt. FORCE=1 rebuilds anyway.
#
#   images.sh [busybox|frr]...   (default: all)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RECIPES="$ROOT/images"
CLEANUP=()
trap 'rm -rf "${CLEANUP[@]}"' EXIT
log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] error: %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || die "docker CLI not found"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "dockerd is not answering: run scripts/stack.sh up"

# recipe_hash FILE... : sha256 over the names and contents of the recipe files (and the extra
# facts passed in RECIPE_EXTRA, e.g. the busybox package version).
recipe_hash() {
  { for f in "$@"; do printf '%s\n' "${f#"$RECIPES"/}"; cat "$f"; done; printf '%s' "${RECIPE_EXTRA:-}"; } | sha256sum | cut -d' ' -f1
}

# cached IMAGE HASH : true when IMAGE exists with archetype.recipe=HASH.
# drop_superseded OLD_ID IMAGE : removes the previous build once IMAGE points elsewhere (kept while a container uses it).
drop_superseded() {
  [[ -n "$1" ]] || return 0
  [[ "$(docker image inspect --format '{{.Id}}' "$2" 2>/dev/null)" != "$1" ]] || return 0
  docker image rm "$1" >/dev/null 2>&1 && log "$2: removed the superseded build ${1:7:12}" || true
}

cached() {
  [[ "${FORCE:-0}" == 1 ]] && return 1
  local label
  label=$(docker image inspect --format '{{index .Config.Labels "archetype.recipe"}}' "$1" 2>/dev/null) || return 1
  [[ "$label" == "$2" ]]
}

build_busybox() {
  local image=archetype/busybox:latest dir="$RECIPES/busybox"
  local bb=/bin/busybox
  [[ -x "$bb" ]] && "$bb" --list | grep -qx ip || die "$bb missing or not the full applet set: apt-get install busybox-static"
  file -L "$bb" 2>/dev/null | grep -q 'statically linked' || ! command -v file >/dev/null \
    || die "$bb is not statically linked: apt-get install busybox-static"
  local version; version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || "$bb" | head -1)
  local hash; hash=$(RECIPE_EXTRA="busybox-static $version" recipe_hash "$dir/Dockerfile")
  if cached "$image" "$hash"; then log "$image: up to date (recipe ${hash:0:12})"; return; fi
  local old; old=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  log "$image: building (recipe ${hash:0:12}, busybox-static $version)"
  local ctx; ctx=$(mktemp -d); CLEANUP+=("$ctx")
  mkdir -p "$ctx/rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,var/run}
  chmod 1777 "$ctx/rootfs/tmp"
  cp "$bb" "$ctx/rootfs/bin/busybox"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$ctx/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$ctx/rootfs/etc/group"
  printf 'hosts: files dns\n' >"$ctx/rootfs/etc/nsswitch.conf"
  cp "$dir/Dockerfile" "$ctx/Dockerfile"
  local out
  out=$(docker build -q --label "archetype.recipe=$hash" --label archetype.managed=true -t "$image" "$ctx" 2>&1) \
    || { printf '%s\n' "$out" >&2; die "docker build of $image failed"; }
  log "$image: built $(docker image inspect --format '{{.Id}}' "$image" | cut -c1-19)"
  drop_superseded "$old" "$image"
}

# The Debian mirror this machine's apt uses (deb822 .sources or one-line .list), for debootstrap.
debian_mirror() {
  local m
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  [[ -n "$m" ]] || m=$(grep -hsE '^deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | grep -E '/debian/?$' | head -1 || true)
  printf '%s' "${m:-http://deb.debian.org/debian}"
}

FRR_STEPS="frr-steps-1: debootstrap minbase; entrypoint; strip apt lists, docs, man, locales; import with ENTRYPOINT, PATH"
build_frr() {
  local image=archetype/frr:latest dir="$RECIPES/frr" suite=bookworm
  # The recipe: package list, entrypoint, suite and the build steps' version (bump FRR_STEPS when
  # build_frr changes what ends up in the image).
  local hash; hash=$(RECIPE_EXTRA="$suite $FRR_STEPS" recipe_hash "$dir/packages" "$dir/entrypoint.sh")
  if cached "$image" "$hash"; then log "$image: up to date (recipe ${hash:0:12})"; return; fi
  local old; old=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  command -v debootstrap >/dev/null || die "debootstrap not installed: apt-get install debootstrap"
  local mirror; mirror=$(debian_mirror)
  local include; include=$(grep -v '^#' "$dir/packages" | grep . | paste -sd, -)
  local root; root=$(mktemp -d /tmp/archetype-frr.XXXXXX); CLEANUP+=("$root")
  log "$image: debootstrap $suite from $mirror with $include (recipe ${hash:0:12})"
  local t0=$SECONDS
  debootstrap --variant=minbase --include="$include" "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; die "debootstrap failed (log: $root.log)"; }
  rm -f "$root.log"
  install -m 0755 "$dir/entrypoint.sh" "$root/usr/local/bin/archetype-frr-entrypoint"
  # Lean image: no apt lists, docs or caches.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
  printf '%s\n' "$suite" >"$root/etc/archetype-frr-release"
  tar -C "$root" --numeric-owner -c . | docker import \
    --change "LABEL archetype.recipe=$hash" --change 'LABEL archetype.managed=true' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENTRYPOINT ["/usr/local/bin/archetype-frr-entrypoint"]' \
    --change 'CMD []' \
    - "$image" >/dev/null
  log "$image: built in $((SECONDS - t0))s ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1e6}'))"
  drop_superseded "$old" "$image"
}

targets=("$@"); ((${#targets[@]})) || targets=(busybox frr)
for t in "${targets[@]}"; do
  case "$t" in
    busybox) build_busybox ;;
    frr) build_frr ;;
    *) die "unknown image recipe: $t (known: busybox frr)" ;;
  esac
done
