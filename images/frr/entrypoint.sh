#!/bin/bash
# archetype/frr entrypoint: starts the FRR daemons enabled in /etc/frr/daemons (zebra, staticd and
# mgmtd always; bgpd, ospfd, ... when set to "yes") through Debian's frrinit.sh, which runs them under
# watchfrr, then stays in the foreground as PID 1 until the container is stopped.
set -u
# frrinit.sh applies the integrated configuration (/etc/frr/frr.conf) as root through vtysh, so a
# mounted file owned by the host user works as it is: it is never chowned (that would change the
# user's file on the host).
install -d -o frr -g frr -m 0755 /var/run/frr /var/log/frr
[ -f /etc/frr/vtysh.conf ] || : >/etc/frr/vtysh.conf
stop() { /usr/lib/frr/frrinit.sh stop >/dev/null 2>&1; exit 0; }
trap stop TERM INT
if ! /usr/lib/frr/frrinit.sh start; then
  echo "archetype/frr: frrinit.sh start failed; daemons file:" >&2
  grep -v '^#' /etc/frr/daemons | grep . >&2
fi
if [ "$#" -gt 0 ]; then exec "$@"; fi
sleep infinity &
wait $!
