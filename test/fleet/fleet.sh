#!/usr/bin/env bash
# test/fleet/fleet.sh — a real OpenStack test fleet on loopback: one Keystone (uwsgi, sqlite)
# and N glance-api nodes sharing one sqlite DB and one file store, each with its own image cache.
# Two releases:
#   zed    Glance 25.1 + Keystone 22 from the host's Debian 12 packages, cache driver sqlite
#   epoxy  Glance 30.0 + Keystone 27 from Debian 13 (trixie) packages in a chroot (debootstrap),
#          cache driver centralized_db, each node with its own worker_self_reference_url
#
# Usage: test/fleet/fleet.sh COMMAND [ARGS] [--release zed|epoxy]
#   install                  zed: apt-get install the packages (only if missing); epoxy: build the
#                            trixie chroot (only if missing or built for another package set)
#   start [N]                install, then start Keystone + N nodes (default 3) and seed
#   stop                     stop exactly the processes that start recorded (epoxy: and unmount)
#   status                   recorded pids alive?  GET /versions on each node
#   token [admin|member]     print a fresh Keystone token
#   cache-image NODE ID      read image ID through NODE (name, index or URL) so it gets cached there
#   delete-image ID          delete image ID in Glance (through node 1)
#   upload-image NAME SIZE   upload SIZE bytes of random data as a new image, print its id
#   reset-cache              clear every node's cache and queue, then restore the seeded placement
#   restart-node NODE [--self-reference-of OTHER]
#                            epoxy: restart NODE with OTHER's worker_self_reference_url (as if its
#                            config were copied from OTHER's), or without the option with its own
#   help
# --release (default: $GLANCE_CACHE_FLEET_RELEASE, else the release of the fleet in the state
# dir, else zed) picks the defaults below; after start the state dir says which release it holds.
#
# Environment (all optional):
#   GLANCE_CACHE_FLEET_RELEASE        zed or epoxy
#   GLANCE_CACHE_FLEET_DIR            state dir (default /tmp/glance-cache-fleet, epoxy: /tmp/glance-cache-fleet-epoxy)
#   GLANCE_CACHE_FLEET_KEYSTONE_PORT  Keystone port (default 25000, epoxy: 25100)
#   GLANCE_CACHE_FLEET_BASE_PORT      port of glance01; glanceNN uses BASE+NN-1 (default 29291, epoxy: 29391)
#   GLANCE_CACHE_FLEET_CHROOT         epoxy's chroot (default /var/cache/glance-cache/trixie-chroot)
#   GLANCE_CACHE_FLEET_MIRROR         Debian mirror for the chroot (default http://deb.debian.org/debian)
#   GLANCE_CACHE_FLEET_TIMEOUT        seconds to wait for any one service to come up (default 120)
#   GLANCE_CACHE_FLEET_KEEP_ON_FAIL   1: leave processes running when start fails (default: stop them)
#
# State dir after start: fleet.json (everything, for tests), inventory.yaml, clouds.yaml
# (fleet-admin, fleet-appcred, fleet-member), env.sh, logs/, pids/, nodes/NAME/ (config),
# cache/NAME/ (image_cache_dir), store/, glance.db, keystone/. start prints
# "source DIR/env.sh" on stdout (everything else goes to stderr).
# Seeded images (see SEED below): cirros-0.6.2 cached on every node, ubuntu-24.04-tiny on
# glance01+02, debian-12-tiny on glance01, dup-name (8 KiB) on the last node; dup-name
# (16 KiB), fedora-40-tiny, alpine-3.20-tiny nowhere. fleet.json says what the nodes report.
# Each node is ONE process (workers = 0): SIGSTOP its pid for a real timeout.
#
# zed: everything lives in the state dir; nothing is written to /etc and the packages' own
# services are never started (start runs its own processes and records their pids).
# epoxy: the chroot is kept between runs (a stamp file in it records the package set); start
# mounts /proc, /dev, /dev/pts, a tmpfs /dev/shm and the state dir (at the same path) into it,
# runs every OpenStack process under `chroot` with the chroot's python, and stop unmounts them
# once no process runs in the chroot. The chroot shares the host's loopback.
set -euo pipefail

WAIT_TIMEOUT=${GLANCE_CACHE_FLEET_TIMEOUT:-120}
KEEP_ON_FAIL=${GLANCE_CACHE_FLEET_KEEP_ON_FAIL:-0}

HOST=127.0.0.1
REGION=RegionOne
PY=/usr/bin/python3   # never the pyenv shim on PATH (epoxy: the chroot's own)
MARKER=.glance-cache-fleet
CACHE_MAX_SIZE=52428800   # 50 MiB, small on purpose

ADMIN_USER=admin ADMIN_PASS=fleet-admin-secret ADMIN_PROJECT=admin
MEMBER_USER=demo MEMBER_PASS=fleet-demo-secret MEMBER_PROJECT=demo
GLANCE_USER=glance GLANCE_PASS=fleet-glance-secret SERVICE_PROJECT=service

# What the OpenStack processes need, wherever they run (host for zed, chroot for epoxy), and what
# this script itself runs on the host.
SERVICE_PACKAGES=(glance-api keystone uwsgi-core uwsgi-plugin-python3 sqlite3)
HOST_TOOLS=(curl jq ca-certificates)
CHROOT_SUITE=trixie
CHROOT_STAMP=.glance-cache-fleet-chroot
MIRROR=${GLANCE_CACHE_FLEET_MIRROR:-http://deb.debian.org/debian}

# Seed images: name, size in bytes, where to cache it.
#   all = every node, "1 2" = glance01 and glance02 (those that exist), last = the last node, - = nowhere.
SEED=(
  "cirros-0.6.2|1048576|all"
  "ubuntu-24.04-tiny|524288|1 2"
  "debian-12-tiny|262144|1"
  "dup-name|8192|last"
  "dup-name|16384|-"
  "fedora-40-tiny|65536|-"
  "alpine-3.20-tiny|4096|-"
)

# The Debian tools must see Debian's python, whatever the caller's environment says.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV PYTHONUSERBASE || true
export PYTHONNOUSERSITE=1
export LC_ALL=C.UTF-8

# ---------------------------------------------------------------- helpers

log() { printf '[fleet %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[fleet] ERROR: %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

tail_log() { # file [lines]
  local f=$1 n=${2:-40}
  if [[ -s $f ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
    tail -n "$n" "$f" >&2 || true
    printf -- '----- end of %s -----\n' "$f" >&2
  else
    printf -- '(%s is empty or missing)\n' "$f" >&2
  fi
}

node_name() { printf 'glance%02d' "$1"; }
node_port() { echo $((BASE_PORT + $1 - 1)); }
node_url() { echo "http://${HOST}:$(node_port "$1")"; }

# start time of a process (field 22 of /proc/PID/stat), to tell our process from a reused pid
proc_start() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  [[ $1 != Z && $1 != X ]] || return 1
  echo "${20}"
}

# pid files: $FLEET_DIR/pids/NAME holds "PID STARTTIME"
record_pid() { # name pid
  local st
  st=$(proc_start "$2") || st=0
  mkdir -p "$FLEET_DIR/pids"
  echo "$2 $st" >"$FLEET_DIR/pids/$1"
}

pid_alive() { # pid starttime
  local st
  st=$(proc_start "$1") || return 1
  [[ $st == "$2" ]]
}

running_pids() { # prints "name pid" for every recorded process that is still alive
  local f pid st
  [[ -d $FLEET_DIR/pids ]] || return 0
  for f in "$FLEET_DIR"/pids/*; do
    [[ -f $f ]] || continue
    read -r pid st <"$f" || continue
    if pid_alive "$pid" "$st"; then echo "$(basename "$f") $pid"; fi
  done
}

port_in_use() { (exec 3<>"/dev/tcp/${HOST}/$1") 2>/dev/null; }

# curl wrapper: fails on HTTP >= 400 with the response body on stderr
api() { # METHOD URL [curl args...]
  local method=$1 url=$2 out code
  shift 2
  out=$(mktemp)
  code=$(curl -sS -o "$out" -w '%{http_code}' --max-time 60 -X "$method" \
    -H 'Accept: application/json' "$@" "$url") || { rm -f "$out"; die "$method $url: curl failed"; }
  if [[ $code -ge 400 ]]; then
    printf '[fleet] %s %s -> HTTP %s: %s\n' "$method" "$url" "$code" "$(head -c 2000 "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# Keystone token; user project password -> token on stdout
get_token() {
  local user=$1 project=$2 pass=$3 hdr body code token
  hdr=$(mktemp)
  body=$(jq -cn --arg u "$user" --arg p "$pass" --arg pr "$project" \
    '{auth:{identity:{methods:["password"],password:{user:{name:$u,domain:{id:"default"},password:$p}}},
           scope:{project:{name:$pr,domain:{id:"default"}}}}}')
  code=$(curl -sS -o /dev/null -D "$hdr" -w '%{http_code}' --max-time 30 -X POST \
    -H 'Content-Type: application/json' -d "$body" "$KS_V3/auth/tokens") || { rm -f "$hdr"; die "token request to $KS_V3 failed"; }
  token=$(awk 'tolower($1) == "x-subject-token:" { sub(/\r$/, "", $2); print $2 }' "$hdr")
  rm -f "$hdr"
  [[ $code == 201 && -n $token ]] || die "could not get a token for $user/$project (HTTP $code)"
  echo "$token"
}

# wait until URL answers 2xx with a JSON body holding KEY; the process behind it must stay alive
wait_http() { # what url pid key logfile...
  local what=$1 url=$2 pid=$3 key=$4 t0 f
  shift 4
  t0=$SECONDS
  while :; do
    if curl -sf --max-time 2 "$url" 2>/dev/null | jq -e --arg k "$key" 'has($k)' >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      for f in "$@"; do tail_log "$f" 60; done
      die "$what (pid $pid) exited during start-up; see $*"
    fi
    if ((SECONDS - t0 >= WAIT_TIMEOUT)); then
      for f in "$@"; do tail_log "$f" 60; done
      die "$what did not answer $url within ${WAIT_TIMEOUT}s; see $*"
    fi
    sleep 0.2
  done
}

require_fleet() {
  [[ -f $FLEET_DIR/fleet.json ]] || die "no fleet in $FLEET_DIR (run: $0 start)"
  KS_V3=$(jq -r .keystone.url "$FLEET_DIR/fleet.json")
}

fj() { jq -r "$1" "$FLEET_DIR/fleet.json"; }

admin_token() {
  get_token "$(fj .admin.username)" "$(fj .admin.project)" "$(fj .admin.password)"
}

# NODE: name (glance02), index (2) or URL -> URL
resolve_node() {
  local n=$1 url
  if [[ $n =~ ^https?:// ]]; then echo "${n%/}"; return; fi
  if [[ $n =~ ^[0-9]+$ ]]; then n=$(node_name "$((10#$n))"); fi
  url=$(jq -r --arg n "$n" '.nodes[] | select(.name == $n) | .url' "$FLEET_DIR/fleet.json")
  [[ -n $url ]] || die "unknown node '$1' (nodes: $(fj '[.nodes[].name] | join(", ")'))"
  echo "$url"
}

cached_ids() { # url token -> image ids cached on that node, one per line
  api GET "$1/v2/cache" -H "X-Auth-Token: $2" | jq -r '.cached_images[].image_id' | sort
}

# read the image through the node, then wait until the node lists it as cached
cache_through() { # url token image_id
  local url=$1 token=$2 id=$3 t0
  api GET "$url/v2/images/$id/file" -H "X-Auth-Token: $token" -o /dev/null >/dev/null \
    || die "reading image $id through $url failed"
  t0=$SECONDS
  until cached_ids "$url" "$token" | grep -qx "$id"; do
    ((SECONDS - t0 < 30)) || die "image $id did not show up in $url/v2/cache within 30s"
    sleep 0.2
  done
}

# ---------------------------------------------------------------- release

# Sets RELEASE and everything that follows from it. The release comes from --release, else
# GLANCE_CACHE_FLEET_RELEASE, else the fleet already in GLANCE_CACHE_FLEET_DIR, else zed.
configure() { # release-from-flag command
  local asked=${1:-${GLANCE_CACHE_FLEET_RELEASE:-}} cmd=$2 held=''
  if [[ -n ${GLANCE_CACHE_FLEET_DIR:-} && -f $GLANCE_CACHE_FLEET_DIR/release ]]; then held=$(<"$GLANCE_CACHE_FLEET_DIR/release"); fi
  RELEASE=${asked:-${held:-zed}}
  case $RELEASE in
    zed)
      FLEET_DIR=${GLANCE_CACHE_FLEET_DIR:-/tmp/glance-cache-fleet}
      KEYSTONE_PORT=${GLANCE_CACHE_FLEET_KEYSTONE_PORT:-25000}
      BASE_PORT=${GLANCE_CACHE_FLEET_BASE_PORT:-29291}
      ROOT=''
      ;;
    epoxy)
      FLEET_DIR=${GLANCE_CACHE_FLEET_DIR:-/tmp/glance-cache-fleet-epoxy}
      KEYSTONE_PORT=${GLANCE_CACHE_FLEET_KEYSTONE_PORT:-25100}
      BASE_PORT=${GLANCE_CACHE_FLEET_BASE_PORT:-29391}
      ROOT=${GLANCE_CACHE_FLEET_CHROOT:-/var/cache/glance-cache/trixie-chroot}
      ROOT=${ROOT%/}
      # it gets rm -rf'd on a rebuild: never / or a top-level directory
      [[ $ROOT == /?*/?* ]] || die "GLANCE_CACHE_FLEET_CHROOT must be an absolute path at least two levels deep, not '$ROOT'"
      ;;
    *) die "unknown release '$RELEASE' (zed or epoxy)" ;;
  esac
  # A fleet already in the state dir decides for every command but start, which replaces it.
  if [[ $cmd != start && -f $FLEET_DIR/release ]]; then
    held=$(<"$FLEET_DIR/release")
    [[ -z $asked || $asked == "$held" ]] || die "$FLEET_DIR holds a $held fleet, not $asked"
    if [[ $held != "$RELEASE" ]]; then configure "$held" "$cmd"; return; fi
    # stop must unmount the chroot this fleet used, even if GLANCE_CACHE_FLEET_CHROOT changed since
    [[ ! -f $FLEET_DIR/chroot ]] || ROOT=$(<"$FLEET_DIR/chroot")
  fi
  KS_URL="http://${HOST}:${KEYSTONE_PORT}"
  KS_V3="${KS_URL}/v3"
  ROOT_CMD=()
  if [[ -n $ROOT ]]; then
    ROOT_CMD=(chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 PYTHONNOUSERSITE=1)
  fi
}

# Runs a command where the release's OpenStack lives (the host, or the chroot).
in_root() { "${ROOT_CMD[@]}" "$@"; }

# ---------------------------------------------------------------- install

packages_missing() { # package... -> those not installed on the host
  local p missing=()
  for p in "$@"; do
    if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != "install ok installed" ]]; then
      missing+=("$p")
    fi
  done
  echo "${missing[*]}"
}

# debconf answers for the OpenStack packages: no dbconfig-common database, no admin
# tenant/endpoint registration, no rabbit: the fleet configures everything itself under its state dir.
DEBCONF_ANSWERS='keystone keystone/configure_db boolean false
keystone keystone/create-admin-tenant boolean false
keystone keystone/register-endpoint boolean false
glance-common glance/configure_db boolean false
glance-common glance/configure_rabbit boolean false
glance-common glance/configure_ksat boolean false
glance-api glance/configure_api-endpoint boolean false'

apt_install_host() { # package...
  local missing t0 made_policy=0
  missing=$(packages_missing "$@")
  if [[ -z $missing ]]; then
    log "host packages present: $*"
    return 0
  fi
  [[ $(id -u) == 0 ]] || die "install needs root (missing: $missing)"
  t0=$(now)
  log "installing on the host: $missing (and their dependencies)"
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true
  debconf-set-selections <<<"$DEBCONF_ANSWERS"
  # The packages try to start their services; forbid it if the machine does not already.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
    # shellcheck disable=SC2064
    trap "rm -f /usr/sbin/policy-rc.d" EXIT
  fi
  local apt_opts=(-q -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
  local alog
  alog=$(mktemp /tmp/glance-cache-fleet-apt.XXXXXX)
  if ! apt-get "${apt_opts[@]}" update >"$alog" 2>&1; then
    tail_log "$alog" 30
    die "apt-get update failed (log: $alog)"
  fi
  # shellcheck disable=SC2086
  if ! apt-get "${apt_opts[@]}" install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    $missing >>"$alog" 2>&1; then
    tail_log "$alog" 40
    die "apt-get install failed (log: $alog)"
  fi
  if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  missing=$(packages_missing "$@")
  [[ -z $missing ]] || die "still missing after install: $missing (log: $alog)"
  rm -f "$alog"
  log "installed in $(elapsed "$t0")s"
}

# ---------------------------------------------------------------- the epoxy chroot

# Mount points under DIR (deepest first), from the kernel's own table.
mounts_under() { # dir
  awk -v d="$1/" 'index($5 "/", d) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

is_mount() { awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo; }

# /proc, /dev, /dev/pts and a tmpfs /dev/shm: what python, uwsgi and dpkg's scripts need.
mount_system() { # root
  local r=$1
  is_mount "$r/proc" || mount -t proc proc "$r/proc"
  if ! is_mount "$r/dev"; then
    mount --bind /dev "$r/dev"
    # private: mounts below it (dev/pts, dev/shm) must never propagate back to the host's /dev
    mount --make-private "$r/dev"
  fi
  is_mount "$r/dev/pts" || mount --bind /dev/pts "$r/dev/pts"
  is_mount "$r/dev/shm" || mount -t tmpfs -o mode=1777,nosuid,nodev shm "$r/dev/shm"
}

# Unmounts everything under root, deepest first; fails when anything stays mounted.
unmount_all() { # root
  local m
  for m in $(mounts_under "$1"); do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  [[ -z $(mounts_under "$1") ]]
}

# pids of processes whose root directory is the chroot (what would keep its mounts busy)
processes_in() { # root
  local f
  for f in /proc/[0-9]*/root; do
    [[ $(readlink "$f" 2>/dev/null) == "$1" ]] && { f=${f#/proc/}; echo "${f%/root}"; }
  done
  true
}

# rm -rf, but only once nothing is mounted below: /dev or /proc bound inside would take the host's with it.
remove_tree() { # dir
  [[ -e $1 ]] || return 0
  unmount_all "$1" || die "cannot unmount everything under $1 ($(mounts_under "$1" | tr '\n' ' ')): not removing it"
  rm -rf --one-file-system "$1"
}

chroot_stamp() { printf 'debootstrap --variant=minbase %s %s\npackages: %s\n' "$CHROOT_SUITE" "$MIRROR" "${SERVICE_PACKAGES[*]}"; }

ensure_chroot() {
  local new=$ROOT.new t0 t1 clog
  if [[ -f $ROOT/$CHROOT_STAMP && $(cat "$ROOT/$CHROOT_STAMP") == "$(chroot_stamp)" ]]; then
    log "chroot present: $ROOT ($(head -n 1 "$ROOT/$CHROOT_STAMP"))"
    return 0
  fi
  [[ $(id -u) == 0 ]] || die "building the $CHROOT_SUITE chroot needs root"
  [[ -z $(processes_in "$ROOT") ]] || die "$ROOT needs a rebuild but processes run in it ($(processes_in "$ROOT" | tr '\n' ' ')); stop its fleet first"
  apt_install_host debootstrap
  t0=$(now)
  clog=$(mktemp /tmp/glance-cache-fleet-chroot.XXXXXX)
  log "building the $CHROOT_SUITE chroot in $ROOT (debootstrap, then ${SERVICE_PACKAGES[*]}; log: $clog)"
  remove_tree "$new"
  mkdir -p "$(dirname "$new")"
  if ! debootstrap --variant=minbase "$CHROOT_SUITE" "$new" "$MIRROR" >"$clog" 2>&1; then
    tail_log "$clog" 30
    die "debootstrap $CHROOT_SUITE $new failed (log: $clog)"
  fi
  log "debootstrap: $(elapsed "$t0")s"
  t1=$(now)
  printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
  chmod 755 "$new/usr/sbin/policy-rc.d"
  mount_system "$new"
  # "addgroup: not found" from the packages' preconfigure is harmless (debconf runs it before adduser is in).
  if ! chroot "$new" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true /bin/sh -ec '
      printf "%s\n" "$1" | debconf-set-selections
      shift
      apt-get -q -o Acquire::Retries=3 update
      apt-get -q -o Acquire::Retries=3 install -y --no-install-recommends "$@"
      apt-get clean' sh "$DEBCONF_ANSWERS" "${SERVICE_PACKAGES[@]}" >>"$clog" 2>&1; then
    unmount_all "$new" || true
    tail_log "$clog" 40
    die "installing ${SERVICE_PACKAGES[*]} in $new failed (log: $clog)"
  fi
  unmount_all "$new" || die "cannot unmount $(mounts_under "$new" | tr '\n' ' ')"
  chroot_stamp >"$new/$CHROOT_STAMP"
  log "packages in the chroot: $(elapsed "$t1")s"
  remove_tree "$ROOT"
  mv "$new" "$ROOT"
  rm -f "$clog"
  log "chroot ready in $(elapsed "$t0")s: $ROOT, $(du -sh "$ROOT" | cut -f1)"
}

cmd_install() {
  if [[ -z $ROOT ]]; then
    apt_install_host "${SERVICE_PACKAGES[@]}" "${HOST_TOOLS[@]}"
  else
    apt_install_host "${HOST_TOOLS[@]}"
    ensure_chroot
  fi
}

# The state dir at the same path inside the chroot, and what the processes need: the paths in
# configs, logs and fleet.json then mean the same file on both sides.
mount_fleet_root() {
  mount_system "$ROOT"
  mkdir -p "$ROOT$FLEET_DIR"
  is_mount "$ROOT$FLEET_DIR" || mount --bind "$FLEET_DIR" "$ROOT$FLEET_DIR"
}

# Undoes mount_fleet_root; the system mounts stay while another fleet's processes use the chroot.
unmount_fleet_root() {
  local root=$1
  while is_mount "$root$FLEET_DIR"; do umount "$root$FLEET_DIR" || return 1; done
  rmdir "$root$FLEET_DIR" 2>/dev/null || true
  if [[ -z $(processes_in "$root") && -z $(mounts_under "$root" | grep -Ev "^$root/(proc|dev|dev/pts|dev/shm)\$") ]]; then
    unmount_all "$root" || { log "could not unmount everything under $root: $(mounts_under "$root" | tr '\n' ' ')"; return 1; }
  fi
}

# ---------------------------------------------------------------- start

write_keystone_conf() {
  local d=$FLEET_DIR/keystone
  mkdir -p "$d/policy.d"
  cat >"$d/keystone.conf" <<EOF
[DEFAULT]
log_dir = $FLEET_DIR/logs
log_file = keystone.log

[database]
connection = sqlite:///$d/keystone.db

[identity]
# bcrypt's minimum: every password / app-credential check costs ~1 ms instead of ~0.3 s
password_hash_rounds = 4

[cache]
enabled = true
backend = dogpile.cache.memory

[fernet_tokens]
key_repository = $d/fernet-keys

[fernet_receipts]
key_repository = $d/fernet-keys

[credential]
key_repository = $d/credential-keys

[oslo_policy]
policy_file = $d/policy.yaml
policy_dirs = $d/policy.d
EOF
  echo '# empty: the policy defaults of this release apply' >"$d/policy.yaml"
  cat >"$d/uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
http-socket = ${HOST}:${KEYSTONE_PORT}
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_FILES=$d/keystone.conf
chdir = $d
; one process, one thread: sqlite and the in-process cache stay consistent
master = false
processes = 1
threads = 1
need-app = true
die-on-term = true
; no Py_Finalize at exit: a C extension otherwise aborts ("Accessing state after destruction")
skip-atexit-teardown = true
buffer-size = 65535
; http-socket closes the connection after each response: say so, or keep-alive clients
; (keystonemiddleware in the nodes, undici) reuse a dead socket and fail at random
add-header = Connection: close
EOF
}

# Fernet key repository as keystone-manage fernet_setup/credential_setup would make it
# (keys 0 = staged and 1 = primary, each urlsafe-base64 of 32 random bytes), without
# paying two more 2-second keystone-manage start-ups.
make_fernet_repo() { # dir
  local k
  mkdir -p "$1"
  chmod 700 "$1"
  for k in 0 1; do
    (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' >"$1/$k")
  done
}

keystone_db() {
  local d=$FLEET_DIR/keystone km=(in_root /usr/bin/keystone-manage --config-file "$FLEET_DIR/keystone/keystone.conf")
  local klog=$FLEET_DIR/logs/keystone-manage.log
  write_keystone_conf
  make_fernet_repo "$d/fernet-keys"
  make_fernet_repo "$d/credential-keys"
  "${km[@]}" db_sync >>"$klog" 2>&1 || { tail_log "$klog"; tail_log "$FLEET_DIR/logs/keystone.log"; die "keystone-manage db_sync failed"; }
  in_root sqlite3 "$d/keystone.db" 'PRAGMA journal_mode=WAL;' >/dev/null
}

keystone_bootstrap() {
  local km=(in_root /usr/bin/keystone-manage --config-file "$FLEET_DIR/keystone/keystone.conf")
  local klog=$FLEET_DIR/logs/keystone-manage.log
  "${km[@]}" bootstrap \
    --bootstrap-username "$ADMIN_USER" --bootstrap-password "$ADMIN_PASS" \
    --bootstrap-project-name "$ADMIN_PROJECT" --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id "$REGION" \
    --bootstrap-admin-url "$KS_V3" --bootstrap-public-url "$KS_V3" --bootstrap-internal-url "$KS_V3" \
    >>"$klog" 2>&1 || { tail_log "$klog"; tail_log "$FLEET_DIR/logs/keystone.log"; die "keystone-manage bootstrap failed"; }
}

start_keystone() {
  local pid
  setsid "${ROOT_CMD[@]}" /usr/bin/uwsgi --ini "$FLEET_DIR/keystone/uwsgi.ini" >"$FLEET_DIR/logs/keystone-uwsgi.log" 2>&1 </dev/null &
  pid=$!
  record_pid keystone "$pid"
  KEYSTONE_PID=$pid
}

# zed: each node's cache records in a sqlite file in its cache dir (Zed's default driver).
# epoxy: in the shared Glance database (2024.1+'s default), each node known by its own URL.
cache_driver() { if [[ $RELEASE == zed ]]; then echo sqlite; else echo centralized_db; fi; }
cache_driver_conf() { # index
  echo "image_cache_driver = $(cache_driver)"
  [[ $RELEASE == zed ]] || echo "worker_self_reference_url = $(node_url "$1")"
}

write_node_conf() { # index
  local i=$1 name cfg cache
  name=$(node_name "$i")
  cfg=$FLEET_DIR/nodes/$name
  cache=$FLEET_DIR/cache/$name
  mkdir -p "$cfg/policy.d" "$cache"
  cp "$ROOT/etc/glance/glance-api-paste.ini" "$cfg/glance-api-paste.ini"
  echo '# empty: the policy defaults of this release apply (cache_* rules: role:admin)' >"$cfg/policy.yaml"
  cat >"$cfg/glance-api.conf" <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = $(node_port "$i")
# 0 = one single process serving requests (SIGSTOP on the recorded pid freezes the node)
workers = 0
log_dir = $FLEET_DIR/logs
log_file = $name.log
image_cache_dir = $cache
image_cache_max_size = $CACHE_MAX_SIZE
$(cache_driver_conf "$i")
enabled_backends = fs:file

[database]
connection = sqlite:///$FLEET_DIR/glance.db

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = $FLEET_DIR/store

[os_glance_staging_store]
filesystem_store_datadir = $FLEET_DIR/staging/$name

[os_glance_tasks_store]
filesystem_store_datadir = $FLEET_DIR/tasks/$name

[paste_deploy]
flavor = keystone+cachemanagement
config_file = $cfg/glance-api-paste.ini

[keystone_authtoken]
www_authenticate_uri = $KS_V3
auth_url = $KS_V3
auth_type = password
username = $GLANCE_USER
password = $GLANCE_PASS
project_name = $SERVICE_PROJECT
user_domain_name = Default
project_domain_name = Default
region_name = $REGION
service_token_roles_required = true
# no memcached_servers: tokens are cached in-process (token_cache_time, 300 s)

[oslo_concurrency]
lock_path = $FLEET_DIR/lock

[oslo_policy]
policy_file = $cfg/policy.yaml
policy_dirs = $cfg/policy.d
EOF
  mkdir -p "$FLEET_DIR/staging/$name" "$FLEET_DIR/tasks/$name"
}

start_node() { # index
  local i=$1 name pid
  name=$(node_name "$i")
  setsid "${ROOT_CMD[@]}" "$PY" /usr/bin/glance-api --config-file "$FLEET_DIR/nodes/$name/glance-api.conf" \
    >"$FLEET_DIR/logs/$name.out" 2>&1 </dev/null &
  pid=$!
  record_pid "$name" "$pid"
  NODE_PIDS[i]=$pid
}

# Keystone objects the fleet needs, through the v3 API with plain curl.
setup_keystone_objects() {
  local token auth ctype admin_role member_role svc_proj demo_proj uid svc ep iface node1 cred tok_body hdr
  hdr=$(mktemp)
  tok_body=$(curl -sS -D "$hdr" --max-time 30 -X POST -H 'Content-Type: application/json' "$KS_V3/auth/tokens" \
    -d "$(jq -cn --arg u "$ADMIN_USER" --arg p "$ADMIN_PASS" --arg pr "$ADMIN_PROJECT" \
      '{auth:{identity:{methods:["password"],password:{user:{name:$u,domain:{id:"default"},password:$p}}},
             scope:{project:{name:$pr,domain:{id:"default"}}}}}')")
  token=$(awk 'tolower($1) == "x-subject-token:" { sub(/\r$/, "", $2); print $2 }' "$hdr")
  rm -f "$hdr"
  [[ -n $token ]] || die "admin token from fresh Keystone failed: $tok_body"
  ADMIN_USER_ID=$(jq -r .token.user.id <<<"$tok_body")
  ADMIN_PROJECT_ID=$(jq -r .token.project.id <<<"$tok_body")
  auth=(-H "X-Auth-Token: $token")
  ctype=(-H 'Content-Type: application/json')

  admin_role=$(api GET "$KS_V3/roles?name=admin" "${auth[@]}" | jq -r '.roles[0].id')
  member_role=$(api GET "$KS_V3/roles?name=member" "${auth[@]}" | jq -r '.roles[0].id')
  [[ $admin_role != null && $member_role != null ]] || die "bootstrap did not create admin/member roles"

  svc_proj=$(api POST "$KS_V3/projects" "${auth[@]}" "${ctype[@]}" \
    -d "{\"project\":{\"name\":\"$SERVICE_PROJECT\",\"domain_id\":\"default\"}}" | jq -r .project.id)
  demo_proj=$(api POST "$KS_V3/projects" "${auth[@]}" "${ctype[@]}" \
    -d "{\"project\":{\"name\":\"$MEMBER_PROJECT\",\"domain_id\":\"default\"}}" | jq -r .project.id)

  uid=$(api POST "$KS_V3/users" "${auth[@]}" "${ctype[@]}" \
    -d "{\"user\":{\"name\":\"$GLANCE_USER\",\"password\":\"$GLANCE_PASS\",\"domain_id\":\"default\",\"default_project_id\":\"$svc_proj\"}}" \
    | jq -r .user.id)
  api PUT "$KS_V3/projects/$svc_proj/users/$uid/roles/$admin_role" "${auth[@]}" >/dev/null

  uid=$(api POST "$KS_V3/users" "${auth[@]}" "${ctype[@]}" \
    -d "{\"user\":{\"name\":\"$MEMBER_USER\",\"password\":\"$MEMBER_PASS\",\"domain_id\":\"default\",\"default_project_id\":\"$demo_proj\"}}" \
    | jq -r .user.id)
  api PUT "$KS_V3/projects/$demo_proj/users/$uid/roles/$member_role" "${auth[@]}" >/dev/null

  svc=$(api POST "$KS_V3/services" "${auth[@]}" "${ctype[@]}" \
    -d '{"service":{"type":"image","name":"glance","description":"glance-cache test fleet"}}' | jq -r .service.id)
  node1=$(node_url 1)
  for iface in public internal admin; do
    ep=$(jq -cn --arg s "$svc" --arg i "$iface" --arg u "$node1" --arg r "$REGION" \
      '{endpoint:{service_id:$s,interface:$i,url:$u,region_id:$r,enabled:true}}')
    api POST "$KS_V3/endpoints" "${auth[@]}" "${ctype[@]}" -d "$ep" >/dev/null
  done

  cred=$(api POST "$KS_V3/users/$ADMIN_USER_ID/application_credentials" "${auth[@]}" "${ctype[@]}" \
    -d '{"application_credential":{"name":"fleet-admin-appcred","description":"glance-cache test fleet"}}')
  APPCRED_ID=$(jq -r .application_credential.id <<<"$cred")
  APPCRED_SECRET=$(jq -r .application_credential.secret <<<"$cred")
  [[ $APPCRED_ID != null && $APPCRED_SECRET != null ]] || die "application credential not created: $cred"
}

upload_image() { # url token name size -> id
  local url=$1 token=$2 name=$3 size=$4 id file status
  file=$(mktemp "$FLEET_DIR/upload.XXXXXX")
  head -c "$size" /dev/urandom >"$file"
  id=$(api POST "$url/v2/images" -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg n "$name" '{name:$n,disk_format:"raw",container_format:"bare",visibility:"public"}')" \
    | jq -r .id) || die "creating image $name failed"
  api PUT "$url/v2/images/$id/file" -H "X-Auth-Token: $token" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$file" >/dev/null \
    || die "uploading data of image $name ($id) failed"
  rm -f "$file"
  status=$(api GET "$url/v2/images/$id" -H "X-Auth-Token: $token" | jq -r .status)
  [[ $status == active ]] || die "image $name ($id) is '$status' after upload, expected active"
  echo "$id"
}

# which nodes (indexes) a placement spec means for an N-node fleet
placement_nodes() { # spec n
  local spec=$1 n=$2 k
  case $spec in
    all) seq 1 "$n" ;;
    last) echo "$n" ;;
    -) ;;
    *) for k in $spec; do ((k <= n)) && echo "$k"; done; true ;;
  esac
}

seed_images() { # n token
  local n=$1 token=$2 url1 entry name size spec id
  url1=$(node_url 1)
  : >"$FLEET_DIR/seed.tsv"
  for entry in "${SEED[@]}"; do
    IFS='|' read -r name size spec <<<"$entry"
    id=$(upload_image "$url1" "$token" "$name" "$size")
    printf '%s\t%s\t%s\t%s\n' "$id" "$name" "$size" "$spec" >>"$FLEET_DIR/seed.tsv"
  done
  log "uploaded ${#SEED[@]} images through $(node_name 1)"
}

apply_placement() { # n token
  local n=$1 token=$2 id name size spec k
  while IFS=$'\t' read -r id name size spec <&3; do
    for k in $(placement_nodes "$spec" "$n"); do
      cache_through "$(node_url "$k")" "$token" "$id"
    done
  done 3<"$FLEET_DIR/seed.tsv"
}

# fleet.json from what the nodes actually report (truth, not the plan)
write_state_files() { # n token
  local n=$1 token=$2 i name url nodes_json images_json cache_map id
  nodes_json='[]'
  cache_map='{}'
  for ((i = 1; i <= n; i++)); do
    name=$(node_name "$i")
    url=$(node_url "$i")
    read -r pid _ <"$FLEET_DIR/pids/$name"
    nodes_json=$(jq -c --arg name "$name" --arg url "$url" --argjson port "$(node_port "$i")" --argjson pid "$pid" \
      --arg cache "$FLEET_DIR/cache/$name" --arg cfg "$FLEET_DIR/nodes/$name" --arg log "$FLEET_DIR/logs/$name.log" \
      '. + [{name:$name,url:$url,port:$port,pid:$pid,cache_dir:$cache,config_dir:$cfg,log:$log}]' <<<"$nodes_json")
    for id in $(cached_ids "$url" "$token"); do
      cache_map=$(jq -c --arg id "$id" --arg n "$name" '.[$id] += [$n]' <<<"$cache_map")
    done
  done
  images_json=$(jq -R -s -c --argjson cm "$cache_map" '
    split("\n") | map(select(length > 0) | split("\t")) |
    map({id: .[0], name: .[1], size: (.[2] | tonumber), cached_on: ($cm[.[0]] // [])})' "$FLEET_DIR/seed.tsv")

  jq -n \
    --arg ksurl "$KS_V3" --argjson kspid "$KEYSTONE_PID" \
    --argjson nodes "$nodes_json" --argjson images "$images_json" \
    --arg au "$ADMIN_USER" --arg ap "$ADMIN_PASS" --arg apr "$ADMIN_PROJECT" --arg auid "$ADMIN_USER_ID" --arg aprid "$ADMIN_PROJECT_ID" \
    --arg mu "$MEMBER_USER" --arg mp "$MEMBER_PASS" --arg mpr "$MEMBER_PROJECT" \
    --arg cid "$APPCRED_ID" --arg cs "$APPCRED_SECRET" \
    --arg store "$FLEET_DIR/store" --arg db "$FLEET_DIR/glance.db" --arg dir "$FLEET_DIR" \
    --arg clouds "$FLEET_DIR/clouds.yaml" --arg inv "$FLEET_DIR/inventory.yaml" \
    --argjson max "$CACHE_MAX_SIZE" \
    --arg release "$RELEASE" --arg root "$ROOT" --arg driver "$(cache_driver)" \
    --arg gv "$(in_root dpkg-query -W -f='${Version}' glance-api)" --arg kv "$(in_root dpkg-query -W -f='${Version}' keystone)" \
    '{release:$release, chroot:(if $root == "" then null else $root end),
      glance:{package:("glance-api " + $gv), cache_driver:$driver},
      keystone:{url:$ksurl,pid:$kspid,package:("keystone " + $kv)},
      nodes:$nodes,
      images:$images,
      admin:{username:$au,password:$ap,project:$apr,user_domain:"Default",project_domain:"Default",user_id:$auid,project_id:$aprid},
      member:{username:$mu,password:$mp,project:$mpr,user_domain:"Default",project_domain:"Default",role:"member"},
      app_cred:{id:$cid,secret:$cs},
      store_dir:$store, db:$db, dir:$dir, clouds_yaml:$clouds, inventory:$inv,
      image_cache_max_size:$max, region:"RegionOne"}' >"$FLEET_DIR/fleet.json"

  cat >"$FLEET_DIR/clouds.yaml" <<EOF
# written by test/fleet/fleet.sh
clouds:
  fleet-admin:
    auth:
      auth_url: $KS_V3
      username: $ADMIN_USER
      password: $ADMIN_PASS
      project_name: $ADMIN_PROJECT
      user_domain_name: Default
      project_domain_name: Default
    region_name: $REGION
    interface: public
    identity_api_version: 3
  fleet-appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: $KS_V3
      application_credential_id: $APPCRED_ID
      application_credential_secret: $APPCRED_SECRET
    region_name: $REGION
    interface: public
    identity_api_version: 3
  fleet-member:
    auth:
      auth_url: $KS_V3
      username: $MEMBER_USER
      password: $MEMBER_PASS
      project_name: $MEMBER_PROJECT
      user_domain_name: Default
      project_domain_name: Default
    region_name: $REGION
    interface: public
    identity_api_version: 3
EOF

  {
    echo "# written by test/fleet/fleet.sh"
    echo "nodes:"
    for ((i = 1; i <= n; i++)); do
      echo "  - name: $(node_name "$i")"
      echo "    url: $(node_url "$i")"
    done
    echo "defaults: { timeout: 10s, max_size: 50MiB }"
    echo "auth: { cloud: fleet-admin }"
  } >"$FLEET_DIR/inventory.yaml"

  cat >"$FLEET_DIR/env.sh" <<EOF
# written by test/fleet/fleet.sh: source it
export GLANCE_CACHE_FLEET_DIR='$FLEET_DIR'
export GLANCE_CACHE_INVENTORY='$FLEET_DIR/inventory.yaml'
export OS_CLIENT_CONFIG_FILE='$FLEET_DIR/clouds.yaml'
export OS_CLOUD=fleet-admin
export OS_AUTH_URL='$KS_V3'
export OS_USERNAME='$ADMIN_USER'
export OS_PASSWORD='$ADMIN_PASS'
export OS_PROJECT_NAME='$ADMIN_PROJECT'
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
export OS_IDENTITY_API_VERSION=3
EOF
  # Credentials stay private to their owner, as glance-cache (like ssh) warns otherwise.
  chmod 600 "$FLEET_DIR/clouds.yaml" "$FLEET_DIR/env.sh" "$FLEET_DIR/fleet.json"
}

print_placement() {
  jq -r '.images[] | "  \(.id)  \(.name)\t\(.size) B\tcached on: \(if (.cached_on | length) > 0 then (.cached_on | join(",")) else "-" end)"' \
    "$FLEET_DIR/fleet.json" >&2
}

on_start_fail() {
  local rc=$?
  trap - EXIT
  if ((rc != 0)); then
    if [[ $KEEP_ON_FAIL == 1 ]]; then
      log "start failed (exit $rc); processes left running (GLANCE_CACHE_FLEET_KEEP_ON_FAIL=1): $0 stop"
    else
      log "start failed (exit $rc); stopping what was started (state kept in $FLEET_DIR)"
      cmd_stop || true
    fi
  fi
  exit "$rc"
}

cmd_start() {
  local n=${1:-3} t0 token i running name
  if ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n < 1 || 10#$n > 99)); then die "start: N must be 1..99, got '$n'"; fi
  n=$((10#$n))
  t0=$(now)
  cmd_install
  running=$(running_pids)
  if [[ -n $running ]]; then
    die "a fleet is already running from $FLEET_DIR ($(tr '\n' ' ' <<<"$running")); run '$0 stop' first"
  fi
  local p
  for p in "$KEYSTONE_PORT" $(for ((i = 1; i <= n; i++)); do node_port "$i"; done); do
    ! port_in_use "$p" || die "port $p on $HOST is already in use by another process"
  done
  if [[ -e $FLEET_DIR ]]; then
    if [[ -f $FLEET_DIR/$MARKER || -z $(ls -A "$FLEET_DIR") ]]; then
      # a fleet that died without stop may have left its state dir bound into a chroot
      if [[ -f $FLEET_DIR/chroot ]]; then unmount_fleet_root "$(<"$FLEET_DIR/chroot")" || die "cannot unmount the last fleet's chroot"; fi
      rm -rf "$FLEET_DIR"
    else
      die "$FLEET_DIR exists and is not a fleet state dir (no $MARKER): refusing to wipe it"
    fi
  fi
  mkdir -p "$FLEET_DIR"/{logs,pids,store,lock,nodes,cache}
  touch "$FLEET_DIR/$MARKER"
  echo "$RELEASE" >"$FLEET_DIR/release"
  trap on_start_fail EXIT
  if [[ -n $ROOT ]]; then
    echo "$ROOT" >"$FLEET_DIR/chroot"
    mount_fleet_root
  fi

  # Schemas: glance-manage in the background while keystone-manage runs (2 CPUs).
  declare -ga NODE_PIDS=()
  for ((i = 1; i <= n; i++)); do write_node_conf "$i"; done
  local glog=$FLEET_DIR/logs/glance-manage.log gm_pid
  setsid "${ROOT_CMD[@]}" /usr/bin/glance-manage --config-file "$FLEET_DIR/nodes/glance01/glance-api.conf" db_sync \
    >"$glog" 2>&1 </dev/null &
  gm_pid=$!
  record_pid glance-manage "$gm_pid"
  keystone_db
  if ! wait "$gm_pid"; then tail_log "$glog"; die "glance-manage db_sync failed"; fi
  rm -f "$FLEET_DIR/pids/glance-manage"
  in_root sqlite3 "$FLEET_DIR/glance.db" 'PRAGMA journal_mode=WAL;' >/dev/null
  log "keystone + glance schemas: $(elapsed "$t0")s"

  # The nodes need Keystone only for their first authenticated request: start them now.
  for ((i = 1; i <= n; i++)); do start_node "$i"; done
  keystone_bootstrap
  start_keystone
  wait_http keystone "$KS_V3" "$KEYSTONE_PID" version "$FLEET_DIR/logs/keystone-uwsgi.log" "$FLEET_DIR/logs/keystone.log"
  log "keystone up on $KS_URL (pid $KEYSTONE_PID): $(elapsed "$t0")s"
  setup_keystone_objects
  log "keystone users/projects/catalog/app credential ready: $(elapsed "$t0")s"

  for ((i = 1; i <= n; i++)); do
    name=$(node_name "$i")
    wait_http "$name" "$(node_url "$i")/versions" "${NODE_PIDS[i]}" versions \
      "$FLEET_DIR/logs/$name.out" "$FLEET_DIR/logs/$name.log"
  done
  log "$n glance-api nodes up on ports $(node_port 1)..$(node_port "$n"): $(elapsed "$t0")s"

  token=$(get_token "$ADMIN_USER" "$ADMIN_PROJECT" "$ADMIN_PASS")
  seed_images "$n" "$token"
  apply_placement "$n" "$token"
  write_state_files "$n" "$token"
  trap - EXIT

  log "$RELEASE fleet ready in $(elapsed "$t0")s: Keystone $KS_V3 + $n nodes of $(fj .glance.package); images:"
  print_placement
  local envp=""
  [[ -z ${GLANCE_CACHE_FLEET_DIR:-} ]] || envp="GLANCE_CACHE_FLEET_DIR=$FLEET_DIR "
  [[ $RELEASE == zed || -n $envp ]] || envp="GLANCE_CACHE_FLEET_RELEASE=$RELEASE "
  cat >&2 <<EOF

  state:     $FLEET_DIR  (fleet.json, inventory.yaml, clouds.yaml, logs/)
  use it:    source $FLEET_DIR/env.sh
  stop it:   $envp$0 stop
EOF
  echo "source $FLEET_DIR/env.sh"
}

# ---------------------------------------------------------------- stop / status

descendants() { # pid -> all descendant pids (from /proc: no procps needed)
  local f stat pid ppid
  local -A kids=()
  for f in /proc/[0-9]*/stat; do
    stat=$(cat "$f" 2>/dev/null) || continue
    pid=${stat%% *}
    stat=${stat##*) }
    ppid=${stat#* }
    ppid=${ppid%% *}
    kids[$ppid]+="$pid "
  done
  local queue=("$1") p k
  while ((${#queue[@]} > 0)); do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    for k in ${kids[$p]:-}; do
      echo "$k"
      queue+=("$k")
    done
  done
}

cmd_stop() {
  stop_processes
  # after the processes: unmount what start mounted into the chroot, once nothing uses it
  if [[ -f $FLEET_DIR/chroot ]]; then
    unmount_fleet_root "$(<"$FLEET_DIR/chroot")" || die "could not unmount $FLEET_DIR's chroot mounts"
  fi
}

stop_processes() {
  local f names=()
  if [[ ! -d $FLEET_DIR/pids ]]; then
    log "no fleet state in $FLEET_DIR: nothing to stop"
    return 0
  fi
  for f in "$FLEET_DIR"/pids/*; do
    [[ -f $f ]] || continue
    names+=("$(basename "$f")")
  done
  if ((${#names[@]} == 0)) || ! stop_recorded "${names[@]}"; then
    log "fleet in $FLEET_DIR is not running"
    return 0
  fi
  log "fleet stopped (state left in $FLEET_DIR)"
}

# Stops the recorded processes NAME... (children first, TERM, then KILL after 15 s) and waits until
# they are gone; fails when none of them was running.
stop_recorded() { # name...
  local f name pid st left t0 targets=() d
  local -A starts=()
  for name in "$@"; do
    f=$FLEET_DIR/pids/$name
    [[ -f $f ]] || continue
    read -r pid st <"$f" || continue
    if pid_alive "$pid" "$st"; then
      # children first (uwsgi / glance workers, if any were configured), then the recorded pid
      for d in $(descendants "$pid"); do
        starts[$d]=$(proc_start "$d" || echo 0)
        targets+=("$d")
      done
      starts[$pid]=$st
      targets+=("$pid")
      log "stopping $name (pid $pid)"
    fi
  done
  ((${#targets[@]} > 0)) || return 1
  for pid in "${targets[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done
  for pid in "${targets[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  t0=$SECONDS
  while :; do
    left=()
    for pid in "${targets[@]}"; do
      if pid_alive "$pid" "${starts[$pid]}"; then left+=("$pid"); fi
    done
    ((${#left[@]} > 0)) || break
    if ((SECONDS - t0 >= 15)); then
      log "still alive after 15s, sending KILL: ${left[*]}"
      for pid in "${left[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

cmd_status() {
  local f name pid st rss url code bad=0 total=0 body
  if [[ ! -d $FLEET_DIR/pids ]]; then
    echo "no fleet state in $FLEET_DIR"
    return 1
  fi
  for f in "$FLEET_DIR"/pids/*; do
    [[ -f $f ]] || continue
    name=$(basename "$f")
    read -r pid st <"$f" || continue
    if pid_alive "$pid" "$st"; then
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      total=$((total + rss))
      printf '%-10s pid %-8s alive  rss %6d MiB  state %s\n' "$name" "$pid" $((rss / 1024)) \
        "$(awk '/^State:/ { print $2 }' "/proc/$pid/status")"
    else
      printf '%-10s pid %-8s DEAD\n' "$name" "$pid"
      bad=1
    fi
  done
  printf 'total rss %d MiB\n' $((total / 1024))
  if [[ -f $FLEET_DIR/fleet.json ]]; then
    while read -r name url; do
      body=$(curl -s --max-time 3 -w ' HTTP %{http_code}' "$url/versions" 2>/dev/null) || body="no answer within 3s or refused"
      if [[ $body == *'HTTP 200' ]]; then
        printf '%-10s %s/versions -> 200 %s\n' "$name" "$url" "$(jq -r '[.versions[] | select(.status == "CURRENT") | .id] | join(",")' <<<"${body% HTTP 200}" 2>/dev/null)"
      else
        printf '%-10s %s/versions -> %s\n' "$name" "$url" "$(tail -c 60 <<<"$body")"
        bad=1
      fi
    done < <(jq -r '.nodes[] | "\(.name) \(.url)"' "$FLEET_DIR/fleet.json")
    code=$(curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$(fj .keystone.url)") || code=000
    printf '%-10s %s -> %s\n' keystone "$(fj .keystone.url)" "$code"
    [[ $code == 200 ]] || bad=1
  fi
  return "$bad"
}

# ---------------------------------------------------------------- helpers for tests

cmd_token() {
  require_fleet
  case ${1:-admin} in
    admin) admin_token ;;
    member) get_token "$(fj .member.username)" "$(fj .member.project)" "$(fj .member.password)" ;;
    *) die "token: admin or member" ;;
  esac
}

cmd_cache_image() {
  (($# == 2)) || die "usage: $0 cache-image NODE IMAGE_ID"
  require_fleet
  local url token
  url=$(resolve_node "$1")
  token=$(admin_token)
  cache_through "$url" "$token" "$2"
  log "image $2 cached on $url"
}

cmd_delete_image() {
  (($# == 1)) || die "usage: $0 delete-image IMAGE_ID"
  require_fleet
  local token
  token=$(admin_token)
  api DELETE "$(fj '.nodes[0].url')/v2/images/$1" -H "X-Auth-Token: $token" >/dev/null \
    || die "deleting image $1 failed"
  log "image $1 deleted in Glance (still cached on the nodes that had it)"
}

cmd_upload_image() {
  (($# == 2)) || die "usage: $0 upload-image NAME SIZE_BYTES"
  require_fleet
  local token
  token=$(admin_token)
  upload_image "$(fj '.nodes[0].url')" "$token" "$1" "$2"
}

cmd_reset_cache() {
  require_fleet
  local token url n
  token=$(admin_token)
  for url in $(fj '.nodes[].url'); do
    api DELETE "$url/v2/cache" -H "X-Auth-Token: $token" -H 'x-image-cache-clear-target;' >/dev/null \
      || die "clearing the cache of $url failed"
  done
  n=$(fj '.nodes | length')
  local id name size spec k
  while IFS=$'\t' read -r id name size spec <&3; do
    if ! api GET "$(fj '.nodes[0].url')/v2/images/$id" -H "X-Auth-Token: $token" >/dev/null 2>&1; then
      log "seed image $name ($id) no longer exists; not re-cached"
      continue
    fi
    for k in $(placement_nodes "$spec" "$n"); do
      cache_through "$(fj ".nodes[$((k - 1))].url")" "$token" "$id"
    done
  done 3<"$FLEET_DIR/seed.tsv"
  log "caches reset to the seeded placement"
}

# epoxy: restart one node, its worker_self_reference_url set to OTHER's URL (a node whose config was
# copied from OTHER's) or, without --self-reference-of, back to its own. Only that line of its
# glance-api.conf changes; the new pid goes to pids/ and fleet.json, so stop and the tests see it.
cmd_restart_node() {
  local usage_line="usage: $0 restart-node NODE [--self-reference-of OTHER_NODE]"
  local node='' other='' i name url ref conf pid port
  while (($# > 0)); do
    case $1 in
      --self-reference-of) (($# >= 2)) || die "$usage_line"; other=$2; shift 2 ;;
      --self-reference-of=*) other=${1#--self-reference-of=}; shift ;;
      -*) die "$usage_line" ;;
      *) [[ -z $node ]] || die "$usage_line"; node=$1; shift ;;
    esac
  done
  [[ -n $node ]] || die "$usage_line"
  require_fleet
  [[ $RELEASE == epoxy ]] \
    || die "restart-node: a $RELEASE fleet's nodes have no worker_self_reference_url (cache driver $(cache_driver)); only an epoxy fleet's do"
  url=$(resolve_node "$node")
  i=$(jq -r --arg u "$url" '.nodes | map(.url) | index($u) // empty' "$FLEET_DIR/fleet.json")
  [[ -n $i ]] || die "restart-node: $node is not one of the fleet's nodes (nodes: $(fj '[.nodes[].name] | join(", ")'))"
  i=$((i + 1))
  name=$(node_name "$i")
  ref=$url
  [[ -z $other ]] || ref=$(resolve_node "$other")
  conf=$FLEET_DIR/nodes/$name/glance-api.conf
  grep -q '^worker_self_reference_url = ' "$conf" || die "$conf has no worker_self_reference_url line"

  stop_recorded "$name" || log "$name was not running"
  port=$(jq -r --arg n "$name" '.nodes[] | select(.name == $n) | .port' "$FLEET_DIR/fleet.json")
  ! port_in_use "$port" || die "port $port is still in use after stopping $name"
  sed -i "s|^worker_self_reference_url = .*|worker_self_reference_url = $ref|" "$conf"
  is_mount "$ROOT$FLEET_DIR" || mount_fleet_root
  declare -ga NODE_PIDS=()
  start_node "$i"
  pid=${NODE_PIDS[i]}
  jq --arg n "$name" --argjson pid "$pid" '(.nodes[] | select(.name == $n) | .pid) = $pid' "$FLEET_DIR/fleet.json" >"$FLEET_DIR/fleet.json.new"
  # cat, not mv: fleet.json keeps its mode (600)
  cat "$FLEET_DIR/fleet.json.new" >"$FLEET_DIR/fleet.json"
  rm -f "$FLEET_DIR/fleet.json.new"
  wait_http "$name" "$url/versions" "$pid" versions "$FLEET_DIR/logs/$name.out" "$FLEET_DIR/logs/$name.log"
  if [[ $ref == "$url" ]]; then
    log "$name restarted (pid $pid) with its own worker_self_reference_url $ref"
  else
    log "$name restarted (pid $pid) with worker_self_reference_url $ref ($other's): it lists $other's cache records"
  fi
}

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

main() {
  local cmd=${1:-help} release='' args=()
  shift || true
  while (($# > 0)); do
    case $1 in
      --release) (($# >= 2)) || die "--release needs zed or epoxy"; release=$2; shift 2 ;;
      --release=*) release=${1#--release=}; shift ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- "${args[@]}"
  [[ $cmd == help || $cmd == -h || $cmd == --help ]] || configure "$release" "$cmd"
  case $cmd in
    install) cmd_install "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    token) cmd_token "$@" ;;
    cache-image) cmd_cache_image "$@" ;;
    delete-image) cmd_delete_image "$@" ;;
    upload-image) cmd_upload_image "$@" ;;
    reset-cache) cmd_reset_cache "$@" ;;
    restart-node) cmd_restart_node "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
