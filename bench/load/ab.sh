#!/usr/bin/env bash
# A/B of two Meridian jars, with nginx as the yardstick, on a noisy host: all three proxies run at
# once, pinned to CPU 0 (only the one under load uses it), wrk and the nginx origin on CPU 1, and
# short small-GET runs alternate A, B, nginx for ROUNDS rounds. Each run prints req/s, p99 and the
# proxy's CPU µs per request (from /proc/<pid>/stat); compare minimums and medians, not single runs.
#
# Usage: bench/load/ab.sh A.jar B.jar        (from the repository root; nginx and wrk installed)
# Env:   ROUNDS=6 DURATION=8s WARMUP=20s CONNECTIONS=50
#        JAVA_OPTS="-Xms32m -Xmx64m -XX:TrimNativeHeapInterval=5000"
#        A_JAVA_OPTS, B_JAVA_OPTS (default JAVA_OPTS): one jar twice with two flag sets is an A/B too
#        PORTS: A 18080, B 18081, nginx proxy 18082, origin 19001, management 19901/19902
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 A.jar B.jar" >&2; exit 2; }
A_JAR="$1"
B_JAR="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROUNDS="${ROUNDS:-6}"
DURATION="${DURATION:-8s}"
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-50}"
JAVA_OPTS="${JAVA_OPTS:--Xms32m -Xmx64m -XX:TrimNativeHeapInterval=5000}"
A_JAVA_OPTS="${A_JAVA_OPTS:-$JAVA_OPTS}"
B_JAVA_OPTS="${B_JAVA_OPTS:-$JAVA_OPTS}"
HZ="$(getconf CLK_TCK)"
for p in 18080 18081 18082 19001 19901 19902; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "port $p is taken: stop what listens there first" >&2
        exit 1
    fi
done

WORK="$(mktemp -d -t meridian-ab.XXXXXX)"
PIDS=""
cleanup() {
    local p
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    for f in "$WORK/origin.pid" "$WORK/nginx-proxy.pid"; do
        [ -f "$f" ] && kill "$(cat "$f" 2>/dev/null)" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/www" "$WORK/origin-body"
head -c 1048576 /dev/urandom > "$WORK/www/1m"
render() { # file proxy-port
    sed -e "s|@WORK@|$WORK|g" -e "s|127.0.0.1:8080|127.0.0.1:$2|g" -e "s|127.0.0.1:9001|127.0.0.1:19001|g" \
        "$HERE/$1" > "$WORK/$2-$1"
    echo "$WORK/$2-$1"
}
taskset -c 1 nginx -c "$(render nginx-origin.conf 0)" &
PIDS="$PIDS $!"
taskset -c 0 nginx -c "$(render nginx-proxy.conf 18082)" &
PIDS="$PIDS $!"
# shellcheck disable=SC2086
taskset -c 0 java $A_JAVA_OPTS -jar "$A_JAR" "$(render meridian.toml 18080)" --server.port=19901 > "$WORK/a.log" 2>&1 &
A_PID=$!
# shellcheck disable=SC2086
taskset -c 0 java $B_JAVA_OPTS -jar "$B_JAR" "$(render meridian.toml 18081)" --server.port=19902 > "$WORK/b.log" 2>&1 &
B_PID=$!
PIDS="$PIDS $A_PID $B_PID"
for port in 18080 18081 18082; do
    for _ in $(seq 180); do curl -sf "127.0.0.1:$port/small" > /dev/null && break; sleep 0.5; done
    curl -sf "127.0.0.1:$port/small" > /dev/null || { echo "nothing answers on $port" >&2; exit 1; }
done

cpu_ticks() { # pid... -> utime + stime summed
    local t=0 p
    for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
    echo "$t"
}
nginx_pids() {
    local master
    master="$(cat "$WORK/nginx-proxy.pid")"
    echo "$master $(pgrep -P "$master" | tr '\n' ' ')"
}

for port in 18080 18081 18082; do
    taskset -c 1 timeout 120 wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$port/small" > /dev/null
done
echo "round proxy req/s p99 cpu_us_per_req   (A: $A_JAR $A_JAVA_OPTS, B: $B_JAR $B_JAVA_OPTS)"
for r in $(seq "$ROUNDS"); do
    for who in A B nginx; do
        case "$who" in
            A) port=18080; pids="$A_PID" ;;
            B) port=18081; pids="$B_PID" ;;
            nginx) port=18082; pids="$(nginx_pids)" ;;
        esac
        # shellcheck disable=SC2086
        c0="$(cpu_ticks $pids)"
        out="$(taskset -c 1 timeout 120 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$port/small")"
        # shellcheck disable=SC2086
        c1="$(cpu_ticks $pids)"
        n="$(echo "$out" | awk '/requests in/ {print $1}')"
        rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
        p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
        echo "$r $who $rps $p99 $(awk -v c="$((c1 - c0))" -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.2f", c * 1e6 / hz / n}')"
    done
done
