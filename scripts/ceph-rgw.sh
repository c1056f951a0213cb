#!/usr/bin/env bash
# A real S3 server for the @dms/storage-s3 tests and benchmarks: a one-node Ceph cluster
# (one mon, one OSD, no mgr, auth off) and radosgw, all on 127.0.0.1 (Debian 12, Ceph 16.2).
#
#   scripts/ceph-rgw.sh start [DIR]   create or restart; prints one line:
#       S3_ENDPOINT=... AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... CEPH_RGW_DIR=...
#   scripts/ceph-rgw.sh stop DIR      stop all daemons by pid (data kept; start restarts)
#   scripts/ceph-rgw.sh stop-rgw DIR  stop radosgw only (fault tests)
#   scripts/ceph-rgw.sh kill-rgw DIR  SIGKILL radosgw, as a crash would (fault tests)
#   scripts/ceph-rgw.sh env DIR       print the line again
#   scripts/ceph-rgw.sh purge DIR     stop, then delete DIR
#
# Env when creating: RGW_PORT (7480), CEPH_MON_PORT (3300), CEPH_OSD_STORE (memstore | bluestore),
# CEPH_STORE_BYTES (8 GiB). Packages: apt-get install ceph-mon ceph-osd radosgw ceph-common.
set -euo pipefail

cmd=${1:-}
DIR=${2:-}
WAIT=${CEPH_RGW_TIMEOUT:-120}

say() { echo "[ceph-rgw] $*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

need_bins() {
  local b
  for b in ceph-mon ceph-osd radosgw radosgw-admin ceph; do
    command -v "$b" >/dev/null || fail "$b not found: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common"
  done
}

# A pid is ours only if /proc names the expected daemon (or setsid, just before its exec) and
# it is not a zombie.
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $stat =~ \((ceph-mon|ceph-osd|radosgw|setsid)\)\ [^Z] ]]
}

daemon_pid() {
  local p
  p=$(cat "$DIR/run/$1.pid" 2>/dev/null) || return 1
  running "$p" && echo "$p"
}

# Foreground daemons (-f) detached with setsid: $! is the pid at once (pid files come late).
spawn() {
  local name=$1
  shift
  daemon_pid "$name" >/dev/null && return 0
  setsid "$@" -f </dev/null >>"$DIR/log/$name.out" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}

make_conf() {
  local rgw=${RGW_PORT:-7480} mon=${CEPH_MON_PORT:-3300} bytes=${CEPH_STORE_BYTES:-8589934592}
  cat >"$DIR/ceph.conf" <<CONF
[global]
fsid = $(cat /proc/sys/kernel/random/uuid)
mon host = [v2:127.0.0.1:$mon]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
mon cluster log file = $DIR/log/cluster.log
crash dir = $DIR/crash
client mount timeout = 30
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = ${CEPH_OSD_STORE:-memstore}

[mon.a]
mon data = $DIR/mon
# without it the mon binds its default ports and does not find itself in the monmap
public addr = v2:127.0.0.1:$mon
# radosgw creates its pools one paxos round each: 0.05 s rounds instead of 1 s
paxos propose interval = 0.05

[osd.0]
osd data = $DIR/osd
# memstore keeps its data across a clean stop only without fast shutdown
osd fast shutdown = false
memstore device bytes = $bytes
bluestore block path = $DIR/osd.block
bluestore block create = true
bluestore block size = $bytes

[client.rgw.r]
rgw data = $DIR/rgw
rgw frontends = beast endpoint=127.0.0.1:$rgw
# lifecycle threads of a killed radosgw block the next shutdown
rgw enable lc threads = false
# an overwritten or deleted object's data is freed after 2 h by default: with memstore (data in
# RAM) a benchmark that rewrites 1 GiB objects filled the store and every write then hung
rgw gc obj min wait = 10
rgw gc processor period = 10
# with auth off radosgw must not ask the mon for msgr2 secure mode (it hangs 300 s)
ms mon client mode = crc
CONF
}

port_of_rgw() { sed -n 's/^rgw frontends = .*:\([0-9]*\)$/\1/p' "$DIR/ceph.conf"; }

show() {
  # shellcheck disable=SC1091
  . "$DIR/s3.env"
  echo "S3_ENDPOINT=http://127.0.0.1:$(port_of_rgw) AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY CEPH_RGW_DIR=$DIR"
}

answers() { # radosgw answers an anonymous GET / with 200
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    read -r -t 2 status <&3 || exit 1
    [[ $status == HTTP/1.?" 200"* ]]
  ) 2>/dev/null
}

until_true() { # what seconds cmd...
  local what=$1 end=$((SECONDS + $2))
  shift 2
  until "$@"; do
    [ $SECONDS -lt $end ] || fail "$what not ready after ${WAIT}s; logs in $DIR/log"
    sleep 0.2
  done
}

osd_up() { # osd.0 up at the new process (its address nonce is the pid)
  local pid
  pid=$(cat "$DIR/run/osd.0.pid")
  daemon_pid osd.0 >/dev/null || fail "ceph-osd exited; see $DIR/log/osd.0.log"
  timeout 30 ceph -c "$DIR/ceph.conf" osd dump 2>/dev/null | grep -Eq "^osd\.0 up .*/$pid[^0-9]"
}

rgw_up() {
  daemon_pid client.rgw.r >/dev/null || fail "radosgw exited; see $DIR/log/client.rgw.r.log"
  answers "$(port_of_rgw)"
}

start() {
  need_bins
  [ -n "$DIR" ] || DIR=$(mktemp -d /tmp/ceph-rgw.XXXXXX)
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  local conf=$DIR/ceph.conf new=0
  if [ ! -f "$DIR/.ready" ]; then
    [ -z "$(ls -A "$DIR")" ] || fail "$DIR is not empty and holds no finished cluster (purge it)"
    new=1
    mkdir -p "$DIR"/{run,log,mon,osd,rgw,crash}
    : >"$DIR/keyring"
    make_conf
    ceph-mon -c "$conf" -i a --mkfs --keyring /dev/null >>"$DIR/log/mkfs.out" 2>&1 || fail "ceph-mon --mkfs failed"
  fi
  spawn mon.a ceph-mon -c "$conf" -i a
  if [ $new = 1 ]; then
    local uuid
    uuid=$(cat /proc/sys/kernel/random/uuid)
    [ "$(timeout 60 ceph -c "$conf" osd new "$uuid" 2>>"$DIR/log/mkfs.out")" = 0 ] || fail "ceph osd new failed"
    ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$uuid" >>"$DIR/log/mkfs.out" 2>&1 || fail "ceph-osd --mkfs failed"
  fi
  spawn osd.0 ceph-osd -c "$conf" -i 0
  # a radosgw started before the OSD is up stalls about 15 s
  daemon_pid client.rgw.r >/dev/null || until_true osd.0 "$WAIT" osd_up
  spawn client.rgw.r radosgw -c "$conf" -n client.rgw.r
  until_true radosgw "$WAIT" rgw_up
  if [ ! -f "$DIR/s3.env" ]; then
    local ak sk
    ak=$(tr -dc 'A-Z0-9' </dev/urandom | head -c 20 || true)
    sk=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40 || true)
    timeout 60 radosgw-admin -c "$conf" user create --uid=dms --display-name=dms \
      --access-key="$ak" --secret-key="$sk" >"$DIR/log/user.json" 2>>"$DIR/log/mkfs.out" || fail "user create failed"
    printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$ak" "$sk" >"$DIR/s3.env"
    touch "$DIR/.ready"
  fi
  show
}

# A killed radosgw's watches on its notify objects outlive it by the watch timeout (30 s), and every
# metadata write of the next radosgw (a CreateBucket) waits 10 s per try for them to answer. Ceph's way
# to drop a dead client is to blocklist its address (this instance only: the nonce is per process).
fence_dead_rgw() {
  local conf=$DIR/ceph.conf o a
  for o in $(timeout 30 rados -c "$conf" -p default.rgw.control ls 2>/dev/null); do
    timeout 30 rados -c "$conf" -p default.rgw.control listwatchers "$o" 2>/dev/null
  done | sed -n 's/^watcher=\([^ ]*\) .*/\1/p' | sort -u | while read -r a; do
    timeout 30 ceph -c "$conf" osd blocklist add "$a" >/dev/null 2>&1 || say "could not blocklist $a"
  done
}

stop_one() {
  local pid i
  pid=$(daemon_pid "$1") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then
    say "$1 ($pid) ignored SIGTERM for 20 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do running "$pid" || break; sleep 0.1; done
  fi
  rm -f "$DIR/run/$1.pid"
}

stop() {
  [ -n "$DIR" ] || fail "usage: $0 stop DIR"
  [ -d "$DIR/run" ] || return 0
  # radosgw needs the OSD and mon to shut down, the OSD needs the mon
  stop_one client.rgw.r
  stop_one osd.0
  stop_one mon.a
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  stop-rgw)
    [ -n "$DIR" ] || fail "usage: $0 stop-rgw DIR"
    stop_one client.rgw.r
    ;;
  kill-rgw)
    [ -n "$DIR" ] || fail "usage: $0 kill-rgw DIR"
    if pid=$(daemon_pid client.rgw.r); then
      kill -KILL "$pid"
      while running "$pid"; do sleep 0.05; done
      rm -f "$DIR/run/client.rgw.r.pid"
      fence_dead_rgw
    fi
    ;;
  env)
    [ -f "$DIR/s3.env" ] || fail "no cluster in '$DIR'"
    show
    ;;
  purge)
    [ -n "$DIR" ] || fail "usage: $0 purge DIR"
    [ -d "$DIR" ] || exit 0
    [ -f "$DIR/ceph.conf" ] || [ -z "$(ls -A "$DIR")" ] || fail "$DIR holds no cluster; not deleting it"
    stop
    rm -rf "$DIR"
    ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac
