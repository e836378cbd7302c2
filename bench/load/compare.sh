#!/usr/bin/env bash
# Load comparison: one nginx origin, then each proxy in turn on the same origin, driven by wrk.
#
# The proxy under test is pinned to CPU 0; wrk and the origin share CPU 1, so the proxy's own CPU
# time per request is the figure that matters (read from /proc/<pid>/stat before and after each
# run, summed over the proxy's process tree). Everything binds 127.0.0.1 and every run is bounded.
#
# Usage: bench/load/compare.sh            (from the repository root)
# Env:   PROXIES="direct nginx haproxy meridian"  CASES="small 1m post close"
#        DURATION=10s CONNECTIONS=50 ROUNDS=1 WARMUP_NATIVE=3s WARMUP_JVM=30s
#        MERIDIAN_JAR=gateway-app/target/meridian.jar  JAVA_OPTS="-Xms64m -Xmx128m"
#        PROXY_PORT=8080 ORIGIN_PORT=9001
# Needs: apt-get install -y nginx haproxy wrk   (and a JDK 17 for Meridian)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PROXIES="${PROXIES:-direct nginx haproxy meridian}"
CASES="${CASES:-small 1m post close}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
ROUNDS="${ROUNDS:-1}"
WARMUP_NATIVE="${WARMUP_NATIVE:-3s}"
WARMUP_JVM="${WARMUP_JVM:-30s}"
MERIDIAN_JAR="${MERIDIAN_JAR:-$ROOT/gateway-app/target/meridian.jar}"
JAVA_OPTS="${JAVA_OPTS:--Xms64m -Xmx128m}"
PROXY_PORT="${PROXY_PORT:-8080}"
ORIGIN_PORT="${ORIGIN_PORT:-9001}"
PROXY_CPU=0
LOAD_CPU=1
HZ="$(getconf CLK_TCK)"

for tool in nginx haproxy wrk taskset curl; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y nginx haproxy wrk)" >&2; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then
    echo "needs 2 CPUs: proxy on CPU $PROXY_CPU, wrk and origin on CPU $LOAD_CPU" >&2
    exit 1
fi

WORK="$(mktemp -d -t meridian-load.XXXXXX)"
ORIGIN_PID=""
PROXY_PID=""
cleanup() {
    [ -n "$PROXY_PID" ] && stop "$PROXY_PID"
    [ -n "$ORIGIN_PID" ] && stop "$ORIGIN_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT

# Stops one process we started (by its pid, never by name) and waits for it.
stop() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# Copies a config into $WORK with the temp dir and the two ports filled in.
render() {
    sed -e "s|@WORK@|$WORK|g" -e "s|127.0.0.1:8080|127.0.0.1:$PROXY_PORT|g" \
        -e "s|127.0.0.1:9001|127.0.0.1:$ORIGIN_PORT|g" "$HERE/$1" > "$WORK/$1"
    echo "$WORK/$1"
}

wait_port() {
    for _ in $(seq 150); do
        curl -fsS -o /dev/null "http://127.0.0.1:$1/small" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "nothing answers on 127.0.0.1:$1" >&2
    return 1
}

# The process and its children (nginx master + worker; a JVM is one process with many threads).
tree() {
    echo "$1"
    pgrep -P "$1" || true
}

cpu_ticks() {
    local total=0 p f
    for p in $(tree "$1"); do
        # Fields after the ")" that ends comm: utime and stime are the 12th and 13th.
        f="$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null)" || continue
        total=$((total + $(echo "$f" | awk '{print $12 + $13}')))
    done
    echo "$total"
}

rss_kib() {
    local total=0 p v
    for p in $(tree "$1"); do
        v="$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

# wrk's Lua hooks: the POST body and a machine-readable summary with p99.9 and errors.
mkdir -p "$WORK/www" "$WORK/origin-body" "$WORK/proxy-body" "$WORK/proxy-temp"
head -c 1048576 /dev/urandom > "$WORK/www/1m"
# nginx workers run as an unprivileged user; mktemp makes the directory private to us.
chmod 755 "$WORK" "$WORK/www"
chmod 644 "$WORK/www/1m"
cat > "$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
        e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
{ cat "$WORK/report.lua"; cat <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 65536)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
} > "$WORK/post.lua"

case_args() {
    case "$1" in
        small) echo "-s $WORK/report.lua http://127.0.0.1:\$PORT/small" ;;
        1m)    echo "-s $WORK/report.lua http://127.0.0.1:\$PORT/1m" ;;
        post)  echo "-s $WORK/post.lua http://127.0.0.1:\$PORT/post" ;;
        close) echo "-s $WORK/report.lua -H Connection:close http://127.0.0.1:\$PORT/small" ;;
        *) echo "unknown case: $1" >&2; exit 1 ;;
    esac
}

run_wrk() { # port duration case
    local PORT="$1" args
    args="$(case_args "$3")"
    args="${args//\$PORT/$PORT}"
    # shellcheck disable=SC2086
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$2" --timeout 5s $args 2>&1
}

start_proxy() {
    case "$1" in
        direct) PROXY_PID="" ;;
        nginx)
            taskset -c "$PROXY_CPU" nginx -c "$(render nginx-proxy.conf)" &
            PROXY_PID=$! ;;
        haproxy)
            taskset -c "$PROXY_CPU" haproxy -f "$(render haproxy.cfg)" -db &
            PROXY_PID=$! ;;
        meridian)
            if [ ! -f "$MERIDIAN_JAR" ]; then
                echo "skip meridian: $MERIDIAN_JAR not built (mvn -B -pl gateway-app -am package -DskipTests)" >&2
                return 1
            fi
            # shellcheck disable=SC2086
            taskset -c "$PROXY_CPU" java $JAVA_OPTS -jar "$MERIDIAN_JAR" "$(render meridian.toml)" \
                > "$WORK/meridian.log" 2>&1 &
            PROXY_PID=$! ;;
        *) echo "unknown proxy: $1" >&2; exit 1 ;;
    esac
}

echo "origin: nginx on CPU $LOAD_CPU, 127.0.0.1:$ORIGIN_PORT; wrk -t1 -c$CONNECTIONS -d$DURATION on CPU $LOAD_CPU; proxy on CPU $PROXY_CPU" >&2
taskset -c "$LOAD_CPU" nginx -c "$(render nginx-origin.conf)" &
ORIGIN_PID=$!
wait_port "$ORIGIN_PORT"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
for round in $(seq "$ROUNDS"); do
    for proxy in $PROXIES; do
        start_proxy "$proxy" || continue
        port="$PROXY_PORT"
        [ "$proxy" = direct ] && port="$ORIGIN_PORT"
        if ! wait_port "$port"; then
            echo "skip $proxy: it did not answer on 127.0.0.1:$port" >&2
            [ -n "$PROXY_PID" ] && stop "$PROXY_PID"
            PROXY_PID=""
            continue
        fi
        warm="$WARMUP_NATIVE"
        [ "$proxy" = meridian ] && warm="$WARMUP_JVM"
        echo "round $round: $proxy (warm-up $warm)" >&2
        run_wrk "$port" "$warm" small > /dev/null
        for c in $CASES; do
            before=0
            [ -n "$PROXY_PID" ] && before="$(cpu_ticks "$PROXY_PID")"
            out="$(run_wrk "$port" "$DURATION" "$c")"
            line="$(echo "$out" | awk '/^RESULT/{print $2, $3, $4, $5, $6, $7}')"
            if [ -z "$line" ]; then
                echo "wrk failed for $proxy/$c:" >&2; echo "$out" >&2; continue
            fi
            cpu=0; rss=0
            if [ -n "$PROXY_PID" ]; then
                cpu=$(( $(cpu_ticks "$PROXY_PID") - before ))
                rss="$(rss_kib "$PROXY_PID")"
            fi
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$proxy" "$c" "$round" "$line" "$cpu" "$rss" >> "$RESULTS"
        done
        if [ -n "$PROXY_PID" ]; then stop "$PROXY_PID"; PROXY_PID=""; fi
    done
done

# Per proxy and case, averaged over rounds: req/s, latency percentiles, proxy CPU µs per request
# (CPU ticks / requests), RSS after the run, errors, and CPU per request relative to nginx.
awk -v hz="$HZ" -F'\t' '
{
    split($4, r, " ")   # requests duration_us p50_us p99_us p999_us errors
    k = $1 SUBSEP $2
    if (!(k in n)) order[++keys] = k
    n[k]++; req[k] += r[1]; dur[k] += r[2]; p50[k] += r[3]; p99[k] += r[4]; p999[k] += r[5]
    err[k] += r[6]; cpu[k] += $5; rss[k] += $6
}
END {
    for (i = 1; i <= keys; i++) {
        k = order[i]; split(k, pc, SUBSEP)
        cpuus[k] = req[k] ? cpu[k] * 1e6 / hz / req[k] : 0
    }
    printf "%-9s %-6s %10s %9s %9s %9s %9s %9s %8s %7s\n", "proxy", "case", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "CPU us/r", "vs nginx", "RSS MiB", "errors"
    for (i = 1; i <= keys; i++) {
        k = order[i]; split(k, pc, SUBSEP); m = n[k]
        ng = cpuus[("nginx" SUBSEP pc[2])]
        ratio = (pc[1] != "direct" && ng > 0) ? sprintf("%.2fx", cpuus[k] / ng) : "-"
        cpus = pc[1] == "direct" ? "-" : sprintf("%.1f", cpuus[k])
        rs = pc[1] == "direct" ? "-" : sprintf("%.0f", rss[k] / m / 1024)
        printf "%-9s %-6s %10.0f %9.2f %9.2f %9.2f %9s %9s %8s %7d\n", pc[1], pc[2], req[k] / (dur[k] / 1e6),
            p50[k] / m / 1000, p99[k] / m / 1000, p999[k] / m / 1000, cpus, ratio, rs, err[k]
    }
}' "$RESULTS"
