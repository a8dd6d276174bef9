#!/usr/bin/env bash
# A flood of page requests (wrk, 256 connections, 30 s) against the release build on the demo
# data, while a person keeps using the portal: /healthz and a signed-in client's dashboard are
# timed before and during the flood. Usage: scripts/flood.sh [path/to/limelight] (default: the
# release build in $CARGO_TARGET_DIR or target/). Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-${CARGO_TARGET_DIR:-target}/release/limelight}"
port=3917
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
echo -n limelight-demo | LIMELIGHT_DATA_DIR="$data" "$bin" seed-demo > /dev/null
LIMELIGHT_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site LIMELIGHT_ADDR=127.0.0.1:$port RUST_LOG=warn "$bin" serve 2> "$data/serve.log" &
server=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.2; done
jar="$data/cookies"
curl -s -c "$jar" -o /dev/null --data-urlencode email=dana@acme-dental.test --data-urlencode password=limelight-demo "http://127.0.0.1:$port/login"

# Times of `n` requests to `url`, one a second: "median max" in milliseconds.
sample() {
  local url=$1 n=$2 times=()
  for _ in $(seq "$n"); do
    times+=("$(curl -s -b "$jar" -o /dev/null -w '%{http_code} %{time_total}' "$url")")
    sleep 1
  done
  printf '%s\n' "${times[@]}" | awk '$1 != 200 { bad++ } { t[NR] = $2 * 1000 } END {
    n = asort(t); printf "median %.0f ms, max %.0f ms, not 200: %d of %d\n", t[int((n + 1) / 2)], t[n], bad, n }'
}

echo "== quiet"
echo "  /healthz: $(sample "http://127.0.0.1:$port/healthz" 10)"
echo "  /portal (signed in): $(sample "http://127.0.0.1:$port/portal" 10)"
echo "== during a flood of GET /login (wrk -t2 -c256 -d30s)"
wrk -t2 -c256 -d30s "http://127.0.0.1:$port/login" > "$data/wrk.txt" &
flood=$!
sleep 3
echo "  /healthz: $(sample "http://127.0.0.1:$port/healthz" 10)"
echo "  /portal (signed in): $(sample "http://127.0.0.1:$port/portal" 10)"
wait $flood
grep -E "Requests/sec|Non-2xx|Socket errors|Latency" "$data/wrk.txt" | sed 's/^/  wrk: /'
