#!/usr/bin/env bash
# test/fleet/observe.sh — capture what real Glance nodes answer on the cache API.
# Needs a fleet freshly started by `test/fleet/fleet.sh start 3 [--release epoxy]` (it changes
# caches, deletes one seed image: restart the fleet afterwards). Prints markdown on stdout.
# GLANCE_CACHE_FLEET_RELEASE=epoxy (or GLANCE_CACHE_FLEET_DIR) picks the Epoxy fleet.
# Tokens are printed as $TOKEN / $MEMBER_TOKEN.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
F=$HERE/fleet.sh
case ${GLANCE_CACHE_FLEET_RELEASE:-zed} in
  epoxy) FLEET_DIR=${GLANCE_CACHE_FLEET_DIR:-/tmp/glance-cache-fleet-epoxy} ;;
  *) FLEET_DIR=${GLANCE_CACHE_FLEET_DIR:-/tmp/glance-cache-fleet} ;;
esac
export GLANCE_CACHE_FLEET_DIR=$FLEET_DIR   # fleet.sh below: the same fleet
FJ=$FLEET_DIR/fleet.json
[[ -f $FJ ]] || { echo "no fleet in $FLEET_DIR: run $F start 3" >&2; exit 1; }

TOKEN=$("$F" token admin)
MTOKEN=$("$F" token member)
N1=$(jq -r '.nodes[0].url' "$FJ")
N2=$(jq -r '.nodes[1].url' "$FJ")
N3=$(jq -r '.nodes[2].url' "$FJ")
img() { jq -r --arg n "$1" '[.images[] | select(.name == $n)][0].id' "$FJ"; }
CIRROS=$(img cirros-0.6.2)
UBUNTU=$(img ubuntu-24.04-tiny)
DEBIAN=$(img debian-12-tiny)
ZERO=00000000-0000-0000-0000-000000000000
AJ=(-H "X-Auth-Token: $TOKEN" -H 'Accept: application/json')
A=(-H "X-Auth-Token: $TOKEN")
MJ=(-H "X-Auth-Token: $MTOKEN" -H 'Accept: application/json')
M=(-H "X-Auth-Token: $MTOKEN")

# cap TITLE METHOD URL [curl args]: request as a shell line, then status line, main headers, body
cap() {
  local title=$1 method=$2 url=$3 a shown=()
  shift 3
  for a in "$@"; do
    a=${a//$TOKEN/\$TOKEN}
    a=${a//$MTOKEN/\$MEMBER_TOKEN}
    [[ $a == *[\ \;]* ]] && a="\"$a\""
    shown+=("$a")
  done
  printf '#### %s\n```\n$ curl -i -X %s %s %s\n' "$title" "$method" "$url" "${shown[*]}"
  curl -s -i --max-time 30 -X "$method" "$@" "$url" | tr -d '\r' | awk '
    NR == 1 || tolower($0) ~ /^(content-type|content-length|www-authenticate|connection):/ { print; next }
    /^$/ && !body { body = 1; print; next }
    body { print }'
  printf '\n```\n\n'
}
say() { printf '%s\n\n' "$*"; }

say "### Versions"
cap "GET /versions" GET "$N1/versions"
cap "GET / (same list, 300)" GET "$N1/"

say "### Cache listing (new API and legacy middleware)"
cap "GET /v2/cache (glance01 after seeding)" GET "$N1/v2/cache" "${AJ[@]}"
cap "legacy GET /v2/cached_images" GET "$N1/v2/cached_images" "${AJ[@]}"
cap "legacy GET /v2/queued_images" GET "$N1/v2/queued_images" "${AJ[@]}"

say "### PUT /v2/cache/{id}: debian-12-tiny on glance03, where it is not cached"
cap "PUT" PUT "$N3/v2/cache/$DEBIAN" "${AJ[@]}"
cap "GET /v2/cache right after (no sleep)" GET "$N3/v2/cache" "${AJ[@]}"
cap "PUT again (already cached)" PUT "$N3/v2/cache/$DEBIAN" "${AJ[@]}"
cap "PUT unknown image" PUT "$N3/v2/cache/$ZERO" "${AJ[@]}"
cap "PUT unknown image, no Accept header" PUT "$N3/v2/cache/$ZERO" "${A[@]}"
QID=$(curl -s -X POST "$N1/v2/images" "${A[@]}" -H 'Content-Type: application/json' \
  -d '{"name":"observe-queued","disk_format":"raw","container_format":"bare"}' | jq -r .id)
cap "PUT image without data (status queued)" PUT "$N3/v2/cache/$QID" "${AJ[@]}"
curl -s -o /dev/null -X DELETE "$N1/v2/images/$QID" "${A[@]}"

say "### DELETE /v2/cache/{id}"
cap "DELETE cached entry" DELETE "$N3/v2/cache/$DEBIAN" "${AJ[@]}"
cap "DELETE again: image exists in Glance, not cached here" DELETE "$N3/v2/cache/$DEBIAN" "${AJ[@]}"
cap "DELETE unknown id (neither in Glance nor cached)" DELETE "$N3/v2/cache/$ZERO" "${AJ[@]}"
"$F" delete-image "$UBUNTU" 2>/dev/null
say "ubuntu-24.04-tiny ($UBUNTU) now deleted in Glance; still cached on glance01 and glance02:"
cap "GET /v2/images/{orphan}" GET "$N2/v2/images/$UBUNTU" "${AJ[@]}"
cap "GET /v2/cache on glance02 (orphan listed)" GET "$N2/v2/cache" "${AJ[@]}"
cap "DELETE orphan" DELETE "$N2/v2/cache/$UBUNTU" "${AJ[@]}"
cap "DELETE orphan again (gone from cache too)" DELETE "$N2/v2/cache/$UBUNTU" "${AJ[@]}"

say "### DELETE /v2/cache with x-image-cache-clear-target (glance01)"
say "A queued entry is made with the legacy PUT /v2/queued_images/{id} (it queues any id, unchecked; nothing prefetches it)."
curl -s -o /dev/null -X PUT "$N1/v2/queued_images/${ZERO%?}1" "${A[@]}"
cap "state before" GET "$N1/v2/cache" "${AJ[@]}"
cap "target: both (invalid)" DELETE "$N1/v2/cache" "${AJ[@]}" -H 'x-image-cache-clear-target: both'
cap "target: both (invalid), no Accept" DELETE "$N1/v2/cache" "${A[@]}" -H 'x-image-cache-clear-target: both'
cap "target: queue" DELETE "$N1/v2/cache" "${AJ[@]}" -H 'x-image-cache-clear-target: queue'
cap "after target queue" GET "$N1/v2/cache" "${AJ[@]}"
cap "target: CACHE (value is lower-cased)" DELETE "$N1/v2/cache" "${AJ[@]}" -H 'x-image-cache-clear-target: CACHE'
cap "after target cache" GET "$N1/v2/cache" "${AJ[@]}"
"$F" cache-image glance01 "$CIRROS" 2>/dev/null
curl -s -o /dev/null -X PUT "$N1/v2/queued_images/${ZERO%?}2" "${A[@]}"
cap "refilled (cirros cached, one queued)" GET "$N1/v2/cache" "${AJ[@]}"
cap "no header at all" DELETE "$N1/v2/cache" "${AJ[@]}"
cap "after no header" GET "$N1/v2/cache" "${AJ[@]}"
curl -s -o /dev/null -X PUT "$N1/v2/queued_images/${ZERO%?}3" "${A[@]}"
cap "empty header (curl -H 'name;')" DELETE "$N1/v2/cache" "${AJ[@]}" -H 'x-image-cache-clear-target;'
cap "after empty header" GET "$N1/v2/cache" "${AJ[@]}"

say "### Legacy middleware writes (flavor keystone+cachemanagement)"
"$F" cache-image glance02 "$DEBIAN" 2>/dev/null
cap "legacy PUT /v2/queued_images/{id} of an uncached image" PUT "$N2/v2/queued_images/$(img fedora-40-tiny)" "${AJ[@]}"
cap "legacy PUT /v2/queued_images/{unknown id}" PUT "$N2/v2/queued_images/$ZERO" "${AJ[@]}"
cap "state (legacy PUT only queues, no prefetcher runs)" GET "$N2/v2/cache" "${AJ[@]}"
cap "legacy DELETE /v2/cached_images/{id}" DELETE "$N2/v2/cached_images/$DEBIAN" "${AJ[@]}"
cap "legacy DELETE /v2/cached_images/{unknown id}" DELETE "$N2/v2/cached_images/$ZERO" "${AJ[@]}"
cap "legacy DELETE /v2/queued_images (all)" DELETE "$N2/v2/queued_images" "${AJ[@]}"
cap "legacy DELETE /v2/cached_images (all)" DELETE "$N2/v2/cached_images" "${AJ[@]}"

say "### Member token (role member on project demo)"
cap "GET /v2/cache" GET "$N3/v2/cache" "${MJ[@]}"
cap "GET /v2/cache, no Accept" GET "$N3/v2/cache" "${M[@]}"
cap "PUT /v2/cache/{id}" PUT "$N3/v2/cache/$CIRROS" "${MJ[@]}"
cap "DELETE /v2/cache/{id}" DELETE "$N3/v2/cache/$CIRROS" "${MJ[@]}"
cap "DELETE /v2/cache/{unknown id}: 404 comes before the policy check" DELETE "$N3/v2/cache/$ZERO" "${MJ[@]}"
cap "DELETE /v2/cache" DELETE "$N3/v2/cache" "${MJ[@]}"
cap "legacy GET /v2/cached_images" GET "$N3/v2/cached_images" "${MJ[@]}"
cap "GET /v2/images (allowed)" GET "$N3/v2/images?limit=1" "${MJ[@]}"

say "### Bad or missing token"
cap "invalid token" GET "$N3/v2/cache" -H 'X-Auth-Token: gAAAAABinvalid' -H 'Accept: application/json'
cap "invalid token, no Accept" GET "$N3/v2/cache" -H 'X-Auth-Token: gAAAAABinvalid'
cap "no token" GET "$N3/v2/cache" -H 'Accept: application/json'
