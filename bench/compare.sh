#!/usr/bin/env bash
# cogi (the demo, --loops 1) against a peer on one route, the way DESIGN.md §8 measures:
# each server pinned to core 0, wrk pinned to core 1, keep-alive, N repeats alternating
# the servers, medians. Also the server's CPU time per request, from /proc/PID/stat
# (utime+stime) before and after each run: near nginx's rate wrk's own core saturates,
# so CPU per request is the fair efficiency figure.
#
# Peers: nginx (1 worker, `return 200`), or raw: the same routes written straight
# against the contract (bench/apps/raw_contract_app.cpp), which prices the framework.
#
#   bench/compare.sh [--peer nginx|raw] [--route /plaintext] [--connections 64]
#                    [--duration 10] [--repeats 5]
#                    [--pipeline DEPTH]   (DEPTH requests per write, bench/pipeline.lua)
set -euo pipefail
cd "$(dirname "$0")/.."

peer=nginx route=/plaintext connections=64 duration=10 repeats=5 pipeline=1
while [ $# -gt 0 ]; do
  case $1 in
    --peer) peer=$2; shift 2 ;;
    --route) route=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --pipeline) pipeline=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

case $peer in nginx|raw) ;; *) echo "--peer is nginx or raw" >&2; exit 2 ;; esac
scripts/setup.sh --build-only wrk nginx-light
scripts/build_demo.sh raw_contract_app >/dev/null

run_dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$run_dir"' EXIT
ticks=$(getconf CLK_TCK)
cogi_port=18080 peer_port=18081

taskset -c 0 build/examples/demo --port "$cogi_port" --loops 1 --log-level warning &
cogi_pid=$!
if [ "$peer" = nginx ]; then
  sed -e "s#@RUN@#$run_dir#g" -e "s#@PORT@#$peer_port#g" bench/nginx_plaintext.conf > "$run_dir/nginx.conf"
  taskset -c 0 nginx -c "$run_dir/nginx.conf" -e "$run_dir/error.log" 2>/dev/null &
  nginx_master=$!
  sleep 1
  peer_pid=$(pgrep -P "$nginx_master" nginx | head -1)  # the worker does the work
else
  taskset -c 0 build/bench/raw_contract_app --port "$peer_port" --loops 1 --log-level warning &
  peer_pid=$!
  sleep 1
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() {  # pid port -> "requests_per_s cpu_us_per_request p99"
  local pid=$1 port=$2 before after out requests seconds
  before=$(cpu_ticks "$pid")
  out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" --latency "${script[@]}" "http://127.0.0.1:$port$route" -- "$pipeline")
  after=$(cpu_ticks "$pid")
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  seconds=$(echo "$out" | awk '/requests in/ {gsub("s,","",$4); print $4}')
  local p99; p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  if echo "$out" | grep -q "Non-2xx\|Socket errors"; then echo "$out" | grep -E "Non-2xx|Socket errors" >&2; fi
  awk -v r="$requests" -v s="$seconds" -v b="$before" -v a="$after" -v t="$ticks" -v p="$p99" \
    'BEGIN { printf "%.0f %.2f %s\n", r / s, (a - b) / t * 1e6 / r, p }'
}

script=()
[ "$pipeline" -gt 1 ] && script=(-s bench/pipeline.lua)

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

: > "$run_dir/cogi" ; : > "$run_dir/peer"
taskset -c 1 wrk -t1 -c"$connections" -d2s "http://127.0.0.1:$cogi_port$route" >/dev/null   # warm-up
taskset -c 1 wrk -t1 -c"$connections" -d2s "http://127.0.0.1:$peer_port$route" >/dev/null
for i in $(seq "$repeats"); do
  measure "$cogi_pid" "$cogi_port" | tee -a "$run_dir/cogi" | sed "s/^/run $i cogi:  /"
  measure "$peer_pid" "$peer_port" | tee -a "$run_dir/peer" | sed "s/^/run $i $peer: /"
done

cogi_rps=$(cut -d' ' -f1 "$run_dir/cogi" | median)
peer_rps=$(cut -d' ' -f1 "$run_dir/peer" | median)
cogi_cpu=$(cut -d' ' -f2 "$run_dir/cogi" | median)
peer_cpu=$(cut -d' ' -f2 "$run_dir/peer" | median)
echo
echo "route $route, c=$connections, pipeline depth $pipeline, ${duration}s x $repeats, medians (requests/s, server CPU us/request):"
printf "cogi   %8.0f req/s  %6.2f us/req\n" "$cogi_rps" "$cogi_cpu"
printf "%-6s %8.0f req/s  %6.2f us/req\n" "$peer" "$peer_rps" "$peer_cpu"
awk -v a="$cogi_rps" -v b="$peer_rps" -v c="$cogi_cpu" -v d="$peer_cpu" -v p="$peer" \
  'BEGIN { printf "cogi / %s: %.3f x requests/s, %.3f x CPU per request\n", p, a / b, c / d }'
