#!/usr/bin/env bash
# Load comparison: one nginx origin, then each proxy in turn on the same origin, driven by wrk.
#
# The proxy under test is pinned to CPU 0; wrk and the origin share CPU 1, so the proxy's own CPU
# time per request is the figure that matters (read from /proc/<pid>/stat before and after each
# run, summed over the proxy's process tree). Everything binds 127.0.0.1 and every run is bounded.
#
# Modes (MODE=...):
#   compare  (default) every proxy in PROXIES, every case in CASES: req/s and its ratio to direct
#            and to nginx, p50/p99/p99.9, proxy CPU µs per request and its ratio to nginx, RSS,
#            errors.
#   warmup   for each JVM proxy started cold: time from launch to the first proxied response, then
#            small-GET load at once: WINDOW (10s) = window 1, SETTLE (20s) more load, WINDOW again
#            = steady; prints both rates, their ratio against WARMUP_TARGET (0.80, "within 20%"),
#            and the per-second rate counted at the origin.
#   soak     small-GET load for SOAK (600s, after SOAK_WARMUP 30s unsampled) against each proxy in
#            PROXIES (default meridian; scg works too); every SAMPLE (10s): req/s, RSS, heap after
#            the last GC (-Xlog:gc), direct memory (Meridian: Micrometer's
#            jvm_buffer_memory_used_bytes{id="direct"} from its Actuator; scg: NMT "Other"); then a
#            verdict comparing the first and the last minute.
#
# Usage: bench/load/compare.sh            (from the repository root)
#        MODE=warmup bench/load/compare.sh
#        MODE=soak SOAK=600s bench/load/compare.sh
# Env:   PROXIES="direct nginx haproxy meridian scg"  CASES="small 1m post close"
#        DURATION=10s CONNECTIONS=50 ROUNDS=1 WARMUP_NATIVE=3s WARMUP_JVM=30s WARMUP_SCG=60s
#        MERIDIAN_JAR=gateway-app/target/meridian.jar
#        JAVA_OPTS="-Xms32m -Xmx64m -XX:TrimNativeHeapInterval=5000"  (Meridian's production flags,
#            README "Running in production": the live heap under load is ~16 MiB, and the trimmer
#            returns the C2 compiler's freed malloc arenas, ~20 MiB of RSS otherwise)
#        SCG_JAR=bench/load/peers/spring-cloud-gateway/target/scg-peer.jar
#        SCG_JAVA_OPTS="-Xms64m -Xmx128m"   (Spring Cloud Gateway needs more heap than Meridian)
#        PROXY_PORT=8080 ORIGIN_PORT=9001 MGMT_PORT=9901 (Meridian's management/Actuator port)
#        START_TIMEOUT=90 (s until a proxy must answer)
#        warmup: WINDOW=10s SETTLE=20s WARMUP_TARGET=0.80
#        soak:   SOAK=600s SAMPLE=10s SOAK_WARMUP=30s (load before sampling starts, like WARMUP_JVM)
#                SOAK_FULL_GC=1 (jcmd GC.run at the end of the first and last window, for the live heap)
#                SOAK_NMT=auto (NMT only where there is no Actuator, i.e. scg; 1 = always)
# Needs: apt-get install -y nginx haproxy wrk curl  (and a JDK 17 for Meridian / SCG; jcmd for soak)
#        SCG peer: mvn -B -f bench/load/peers/spring-cloud-gateway/pom.xml -q package -DskipTests
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MODE="${MODE:-compare}"
case "$MODE" in
    compare) DEFAULT_PROXIES="direct nginx haproxy meridian scg" ;;
    warmup)  DEFAULT_PROXIES="meridian scg" ;;
    soak)    DEFAULT_PROXIES="meridian" ;;
    *) echo "unknown MODE=$MODE (compare, warmup or soak)" >&2; exit 2 ;;
esac
PROXIES="${PROXIES:-$DEFAULT_PROXIES}"
CASES="${CASES:-small 1m post close}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
ROUNDS="${ROUNDS:-1}"
WARMUP_NATIVE="${WARMUP_NATIVE:-3s}"
WARMUP_JVM="${WARMUP_JVM:-30s}"
WARMUP_SCG="${WARMUP_SCG:-60s}"
MERIDIAN_JAR="${MERIDIAN_JAR:-$ROOT/gateway-app/target/meridian.jar}"
JAVA_OPTS="${JAVA_OPTS:--Xms32m -Xmx64m -XX:TrimNativeHeapInterval=5000}"
SCG_JAR="${SCG_JAR:-$HERE/peers/spring-cloud-gateway/target/scg-peer.jar}"
SCG_JAVA_OPTS="${SCG_JAVA_OPTS:--Xms64m -Xmx128m}"
PROXY_PORT="${PROXY_PORT:-8080}"
ORIGIN_PORT="${ORIGIN_PORT:-9001}"
MGMT_PORT="${MGMT_PORT:-9901}"
START_TIMEOUT="${START_TIMEOUT:-90}"
WINDOW="${WINDOW:-10s}"
SETTLE="${SETTLE:-20s}"
WARMUP_TARGET="${WARMUP_TARGET:-0.80}"
SOAK="${SOAK:-600s}"
SAMPLE="${SAMPLE:-10s}"
SOAK_WARMUP="${SOAK_WARMUP:-30s}"
SOAK_FULL_GC="${SOAK_FULL_GC:-1}"
SOAK_NMT="${SOAK_NMT:-auto}"
PROXY_CPU=0
LOAD_CPU=1
HZ="$(getconf CLK_TCK)"
MIB=1048576

# Durations as wrk takes them (10s, 2m, 1h, or bare seconds) -> whole seconds.
secs() {
    if [[ "$1" =~ ^([0-9]+)(s|m|h)?$ ]]; then
        case "${BASH_REMATCH[2]}" in
            m) echo $(( BASH_REMATCH[1] * 60 )) ;;
            h) echo $(( BASH_REMATCH[1] * 3600 )) ;;
            *) echo "${BASH_REMATCH[1]}" ;;
        esac
    else
        echo "bad duration '$1' (use 10s, 2m, 1h or seconds)" >&2
        exit 2
    fi
}
for d in "$DURATION" "$WARMUP_NATIVE" "$WARMUP_JVM" "$WARMUP_SCG" "$WINDOW" "$SETTLE" "$SOAK" "$SAMPLE" "$SOAK_WARMUP"; do
    secs "$d" > /dev/null
done

need() {
    command -v "$1" >/dev/null || { echo "missing tool: $1 ($2)" >&2; exit 1; }
}
need nginx "apt-get install -y nginx"
need wrk "apt-get install -y wrk"
need curl "apt-get install -y curl"
need taskset "apt-get install -y util-linux"
need timeout "apt-get install -y coreutils"
for p in $PROXIES; do
    case "$p" in
        direct|nginx) ;;
        haproxy) need haproxy "apt-get install -y haproxy" ;;
        meridian|scg) need java "a JDK 17: apt-get install -y openjdk-17-jdk-headless" ;;
        *) echo "unknown proxy: $p (direct nginx haproxy meridian scg)" >&2; exit 2 ;;
    esac
done
if [ "$MODE" = soak ]; then
    need jcmd "a JDK 17, not only a JRE: apt-get install -y openjdk-17-jdk-headless"
fi
if [ "$(nproc)" -lt 2 ]; then
    echo "needs 2 CPUs: proxy on CPU $PROXY_CPU, wrk and origin on CPU $LOAD_CPU" >&2
    exit 1
fi

# True when something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp, no extra tool).
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
# Refuses to start on a port someone else holds: we would measure their process, not ours.
port_free() { # port what
    if port_open "$1"; then
        echo "127.0.0.1:$1 ($2) is already in use, another benchmark or server may be running;" \
             "stop it or set PROXY_PORT / ORIGIN_PORT / MGMT_PORT" >&2
        return 1
    fi
}
port_free "$ORIGIN_PORT" "origin, ORIGIN_PORT" || exit 1
port_free "$PROXY_PORT" "proxy, PROXY_PORT" || exit 1
case " $PROXIES " in *" meridian "*) port_free "$MGMT_PORT" "Meridian management, MGMT_PORT" || exit 1 ;; esac

WORK="$(mktemp -d -t meridian-load.XXXXXX)"
ORIGIN_PID=""
PROXY_PID=""
BG_PIDS=""
cleanup() {
    local p
    for p in $BG_PIDS; do kill "$p" 2>/dev/null || true; done
    [ -n "$PROXY_PID" ] && stop "$PROXY_PID"
    [ -n "$ORIGIN_PID" ] && stop "$ORIGIN_PID"
    for p in $BG_PIDS; do wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Drops a finished background pid from the list cleanup kills.
forget() {
    local p keep=""
    for p in $BG_PIDS; do [ "$p" = "$1" ] || keep="$keep $p"; done
    BG_PIDS="$keep"
}

# Stops one process we started (by its pid, never by name) and waits for it.
stop() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# Copies a config into $WORK with the temp dir and the two ports filled in.
render() {
    sed -e "s|@WORK@|$WORK|g" -e "s|127.0.0.1:8080|127.0.0.1:$PROXY_PORT|g" \
        -e "s|127.0.0.1:9001|127.0.0.1:$ORIGIN_PORT|g" "$HERE/$1" > "$WORK/$1"
    echo "$WORK/$1"
}

now_ns() { date +%s%N; }

# Polls (every $2 s) until a GET /small through 127.0.0.1:$1 answers, for at most START_TIMEOUT
# seconds; gives up at once if the process ($3, optional) has exited.
wait_up() { # port poll-interval [pid]
    local deadline=$((SECONDS + START_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$1/small" 2>/dev/null && return 0
        if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
            echo "the process (pid $3) exited before answering on 127.0.0.1:$1" >&2
            return 1
        fi
        sleep "$2"
    done
    echo "nothing answers on 127.0.0.1:$1 after ${START_TIMEOUT}s" >&2
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

# Requests the origin has served so far (nginx stub_status: 3rd line, 3rd field), or empty.
origin_requests() {
    { curl -fsS -m 2 "http://127.0.0.1:$ORIGIN_PORT/nginx_status" 2>/dev/null | awk 'NR == 3 {print $3}'; } || true
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

# Sets WRK_CMD to a bounded wrk run (wrk on CPU 1, killed 30 s after its own duration at most).
wrk_cmd() { # port duration case
    local url="http://127.0.0.1:$1" script="$WORK/report.lua" extra=()
    case "$3" in
        small) url="$url/small" ;;
        1m)    url="$url/1m" ;;
        post)  url="$url/post"; script="$WORK/post.lua" ;;
        close) url="$url/small"; extra=(-H Connection:close) ;;
        *) echo "unknown case: $3" >&2; exit 2 ;;
    esac
    WRK_CMD=(timeout -k 5 "$(( $(secs "$2") + 30 ))" taskset -c "$LOAD_CPU"
             wrk -t1 -c"$CONNECTIONS" -d"$2" --timeout 5s -s "$script" "${extra[@]}" "$url")
}

run_wrk() { # port duration case
    wrk_cmd "$@"
    "${WRK_CMD[@]}" 2>&1 || true
}

# "requests duration_us p50_us p99_us p999_us errors" from wrk's output, or empty.
wrk_result() {
    awk '/^RESULT/{print $2, $3, $4, $5, $6, $7}'
}

EXTRA_JVM_OPTS=""   # soak mode adds GC logging (and NMT where there is no Actuator)

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
            taskset -c "$PROXY_CPU" java $JAVA_OPTS $EXTRA_JVM_OPTS -jar "$MERIDIAN_JAR" \
                "$(render meridian.toml)" --server.port="$MGMT_PORT" > "$WORK/meridian.log" 2>&1 &
            PROXY_PID=$! ;;
        scg)
            if [ ! -f "$SCG_JAR" ]; then
                echo "skip scg: $SCG_JAR not built" \
                     "(mvn -B -f bench/load/peers/spring-cloud-gateway/pom.xml -q package -DskipTests)" >&2
                return 1
            fi
            # shellcheck disable=SC2086
            taskset -c "$PROXY_CPU" java $SCG_JAVA_OPTS $EXTRA_JVM_OPTS -jar "$SCG_JAR" \
                --scg.listen-port="$PROXY_PORT" --scg.origin="127.0.0.1:$ORIGIN_PORT" \
                > "$WORK/scg.log" 2>&1 &
            PROXY_PID=$! ;;
        *) echo "unknown proxy: $1" >&2; exit 2 ;;
    esac
}

# Starts a proxy and waits until it proxies; on failure says why and leaves nothing running.
launch() { # proxy poll-interval
    if [ "$1" != direct ]; then
        port_free "$PROXY_PORT" "proxy, PROXY_PORT" || return 1
        [ "$1" = meridian ] && { port_free "$MGMT_PORT" "Meridian management, MGMT_PORT" || return 1; }
    fi
    start_proxy "$1" || return 1
    local port="$PROXY_PORT"
    [ "$1" = direct ] && port="$ORIGIN_PORT"
    if ! wait_up "$port" "$2" "$PROXY_PID"; then
        echo "skip $1: it did not answer on 127.0.0.1:$port" >&2
        [ -f "$WORK/$1.log" ] && { echo "--- last lines of its log:" >&2; tail -n 20 "$WORK/$1.log" >&2; }
        if [ -n "$PROXY_PID" ]; then stop "$PROXY_PID"; PROXY_PID=""; fi
        return 1
    fi
}

halt_proxy() {
    if [ -n "$PROXY_PID" ]; then stop "$PROXY_PID"; PROXY_PID=""; fi
}

warmup_of() {
    case "$1" in
        meridian) echo "$WARMUP_JVM" ;;
        scg) echo "$WARMUP_SCG" ;;
        *) echo "$WARMUP_NATIVE" ;;
    esac
}

# --- compare ------------------------------------------------------------------------------------

run_compare() {
    local RESULTS="$WORK/results.tsv" round proxy port warm c before out line cpu rss
    : > "$RESULTS"
    for round in $(seq "$ROUNDS"); do
        for proxy in $PROXIES; do
            launch "$proxy" 0.2 || continue
            port="$PROXY_PORT"
            [ "$proxy" = direct ] && port="$ORIGIN_PORT"
            warm="$(warmup_of "$proxy")"
            echo "round $round: $proxy (warm-up $warm)" >&2
            run_wrk "$port" "$warm" small > /dev/null
            for c in $CASES; do
                before=0
                [ -n "$PROXY_PID" ] && before="$(cpu_ticks "$PROXY_PID")"
                out="$(run_wrk "$port" "$DURATION" "$c")"
                line="$(echo "$out" | wrk_result)"
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
            halt_proxy
        done
    done
    [ -s "$RESULTS" ] || { echo "no results: every proxy was skipped or failed" >&2; return 1; }

    # Per proxy and case, averaged over rounds: req/s and its ratio to direct and to nginx, latency
    # percentiles, proxy CPU µs per request (CPU ticks / requests) and its ratio to nginx's, RSS
    # after the run, errors. Ratios are "-" when direct or nginx was not in the run.
    awk -v hz="$HZ" -F'\t' '
    {
        split($4, r, " ")   # requests duration_us p50_us p99_us p999_us errors
        k = $1 SUBSEP $2
        if (!(k in n)) order[++keys] = k
        n[k]++; req[k] += r[1]; dur[k] += r[2]; p50[k] += r[3]; p99[k] += r[4]; p999[k] += r[5]
        err[k] += r[6]; cpu[k] += $5; rss[k] += $6
    }
    function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
    END {
        for (i = 1; i <= keys; i++) {
            k = order[i]
            rps[k] = dur[k] ? req[k] / (dur[k] / 1e6) : 0
            cpuus[k] = req[k] ? cpu[k] * 1e6 / hz / req[k] : 0
        }
        printf "%-9s %-6s %10s %7s %7s %8s %8s %9s %9s %8s %8s %7s %7s\n", "proxy", "case", "req/s",
            "/direct", "/nginx", "p50 ms", "p99 ms", "p99.9 ms", "CPU us/r", "CPU/ngx", "RSS MiB", "errors", "rounds"
        for (i = 1; i <= keys; i++) {
            k = order[i]; split(k, pc, SUBSEP); m = n[k]
            d = ("direct" SUBSEP pc[2]); g = ("nginx" SUBSEP pc[2])
            rd = (d in rps) ? ratio(rps[k], rps[d]) : "-"
            rn = (g in rps) ? ratio(rps[k], rps[g]) : "-"
            cn = (pc[1] != "direct" && (g in cpuus)) ? ratio(cpuus[k], cpuus[g]) : "-"
            if (cn != "-") cn = cn "x"
            cpus = pc[1] == "direct" ? "-" : sprintf("%.1f", cpuus[k])
            rs = pc[1] == "direct" ? "-" : sprintf("%.0f", rss[k] / m / 1024)
            printf "%-9s %-6s %10.0f %7s %7s %8.2f %8.2f %9.2f %9s %8s %8s %7d %7d\n", pc[1], pc[2], rps[k],
                rd, rn, p50[k] / m / 1000, p99[k] / m / 1000, p999[k] / m / 1000, cpus, cn, rs, err[k], m
        }
        print ""
        print "/direct, /nginx: req/s relative to direct and to nginx in the same case (higher is better);"
        print "CPU/ngx: proxy CPU per request relative to nginx (lower is better); RSS after the run."
    }' "$RESULTS"
}

# --- warmup -------------------------------------------------------------------------------------

# Background sampler: one line "epoch_ns origin_requests" per second into $1.
start_rate_sampler() {
    (
        while :; do
            echo "$(now_ns) $(origin_requests)"
            sleep 1
        done
    ) > "$1" 2>/dev/null &
    BG_PIDS="$BG_PIDS $!"
    SAMPLER_PID=$!
}

stop_rate_sampler() {
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    forget "$SAMPLER_PID"
}

run_warmup() {
    local proxy t0 t_up c0 c1 c2 c3 out1 out2 l1 l2 w_start w1_end w2_start w2_end rss
    local window_s settle_s
    window_s="$(secs "$WINDOW")"; settle_s="$(secs "$SETTLE")"
    echo "warmup: cold start, then small-GET load from the first proxied response:" \
         "window 1 = first $WINDOW, then $SETTLE more load, then steady = $WINDOW" >&2
    for proxy in $PROXIES; do
        if [ "$proxy" = direct ]; then
            echo "skip direct: warmup measures a proxy started cold" >&2; continue
        fi
        t0="$(now_ns)"
        # Poll every 50 ms so the load starts as soon as the listener proxies a request.
        launch "$proxy" 0.05 || continue
        t_up="$(now_ns)"
        echo "$proxy: first proxied response $(awk -v a="$t0" -v b="$t_up" 'BEGIN{printf "%.1f", (b - a) / 1e9}') s after launch; load starts now" >&2
        start_rate_sampler "$WORK/rate-$proxy.txt"
        c0="$(cpu_ticks "$PROXY_PID")"
        w_start="$(now_ns)"
        out1="$(run_wrk "$PROXY_PORT" "$WINDOW" small)"
        w1_end="$(now_ns)"
        c1="$(cpu_ticks "$PROXY_PID")"
        echo "$proxy: window 1 done; $SETTLE more load" >&2
        run_wrk "$PROXY_PORT" "$SETTLE" small > /dev/null
        c2="$(cpu_ticks "$PROXY_PID")"
        w2_start="$(now_ns)"
        out2="$(run_wrk "$PROXY_PORT" "$WINDOW" small)"
        w2_end="$(now_ns)"
        c3="$(cpu_ticks "$PROXY_PID")"
        rss="$(rss_kib "$PROXY_PID")"
        sleep 1   # one more rate sample after the steady window
        stop_rate_sampler
        halt_proxy
        l1="$(echo "$out1" | wrk_result)"; l2="$(echo "$out2" | wrk_result)"
        if [ -z "$l1" ] || [ -z "$l2" ]; then
            echo "wrk failed for $proxy:" >&2; echo "$out1" "$out2" >&2; continue
        fi
        echo "$proxy $t0 $t_up $l1 $l2 $((c1 - c0)) $((c3 - c2)) $rss" >> "$WORK/warmup.raw"
        # Per-second rate at the origin (what the proxy forwarded), seconds since the first response.
        echo "$proxy: req/s per second at the origin (s after first response: rate; W1 = window 1, S = steady window)"
        awk -v up="$t_up" -v a="$w_start" -v b="$w1_end" -v c="$w2_start" -v d="$w2_end" '
            NF == 2 && $2 != "" {
                if (have) {
                    rate = ($2 - pn) / (($1 - pt) / 1e9)
                    mid = (pt + $1) / 2
                    tag = (mid >= a && mid <= b) ? "W1" : (mid >= c && mid <= d) ? "S" : ""
                    line = line sprintf(" %5.1f:%6.0f%-2s", (pt - up) / 1e9, rate, tag)
                    if (++cnt % 8 == 0) { print line; line = "" }
                }
                pt = $1; pn = $2; have = 1
            }
            END { if (line != "") print line }' "$WORK/rate-$proxy.txt"
    done
    [ -f "$WORK/warmup.raw" ] || { echo "no proxy measured" >&2; return 1; }
    echo
    awk -v hz="$HZ" -v target="$WARMUP_TARGET" '
    BEGIN {
        printf "%-9s %10s %12s %12s %7s %11s %11s %8s %7s  %s\n", "proxy", "first resp", "window1 r/s",
            "steady r/s", "ratio", "CPU us/r w1", "CPU us/r st", "RSS MiB", "errors", "verdict"
    }
    {
        # proxy t0 t_up | req dur p50 p99 p999 err | req dur p50 p99 p999 err | cpu1 cpu2 rss
        r1 = $4 / ($5 / 1e6); r2 = $10 / ($11 / 1e6); ratio = r2 > 0 ? r1 / r2 : 0
        cpu1 = $4 ? $16 * 1e6 / hz / $4 : 0; cpu2 = $10 ? $17 * 1e6 / hz / $10 : 0
        verdict = ratio >= target ? sprintf("met (window 1 >= %.0f%% of steady)", target * 100) \
                                  : sprintf("MISSED (window 1 < %.0f%% of steady)", target * 100)
        printf "%-9s %9.1fs %12.0f %12.0f %7.2f %11.1f %11.1f %8.0f %7d  %s\n", $1, ($3 - $2) / 1e9,
            r1, r2, ratio, cpu1, cpu2, $18 / 1024, $9 + $15, verdict
    }' "$WORK/warmup.raw"
    echo
    echo "first resp: launch to the first proxied GET; window 1 starts then. ratio = window 1 / steady."
    echo "CPU us/r includes JIT compilation on the proxy's core during window 1."
}

# --- soak ---------------------------------------------------------------------------------------

# Heap used after the most recent GC, MiB, from -Xlog:gc lines "... 40M->12M(123M) 3.2ms".
heap_after_gc() {
    { grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$1" 2>/dev/null | tail -n 1 | sed 's/.*->\([0-9]*\)M.*/\1/'; } || true
}
gc_count() {
    { grep -c 'Pause' "$1" 2>/dev/null; } || true
}
# Direct buffers, MiB: Micrometer's jvm_buffer_memory_used_bytes{id="direct"} from Meridian's
# Actuator, or NMT's "Other" committed (direct ByteBuffers and Unsafe allocations) via jcmd.
direct_mib() { # source pid
    case "$1" in
        actuator)
            { curl -fsS -m 5 "http://127.0.0.1:$MGMT_PORT/actuator/prometheus" 2>/dev/null \
                | awk '/^jvm_buffer_memory_used_bytes\{id="direct"/ {printf "%.1f", $2 / 1048576}'; } || true ;;
        nmt)
            { taskset -c "$LOAD_CPU" jcmd "$2" VM.native_memory summary 2>/dev/null \
                | awk '/^- +Other \(/ { if (match($0, /committed=[0-9]+KB/)) printf "%.1f", substr($0, RSTART + 10, RLENGTH - 12) / 1024 }'; } || true ;;
        *) echo "" ;;
    esac
}

sleep_until() { # epoch_ns
    local rem=$(( $1 - $(now_ns) ))
    [ "$rem" -gt 0 ] && sleep "$(awk -v r="$rem" 'BEGIN{printf "%.3f", r / 1e9}')"
    return 0
}

run_soak() {
    local proxy soak_s sample_s n win src gclog wrk_pid t_start i ts rss heap direct reqs prev_reqs prev_ts
    local rate gcs mark out line
    soak_s="$(secs "$SOAK")"; sample_s="$(secs "$SAMPLE")"
    [ "$sample_s" -ge 1 ] || { echo "SAMPLE must be at least 1s" >&2; return 1; }
    n=$(( soak_s / sample_s ))
    [ "$n" -ge 2 ] || { echo "SOAK must cover at least two samples of $SAMPLE" >&2; return 1; }
    # The first and last minute (or a third of the samples in a short run) feed the verdict.
    win=$(( 60 / sample_s )); [ "$win" -ge 1 ] || win=1
    [ $(( win * 3 )) -le "$n" ] || win=$(( n / 3 )); [ "$win" -ge 1 ] || win=1
    for proxy in $PROXIES; do
        case "$proxy" in
            meridian) src=actuator ;;
            scg) src=nmt ;;
            *) echo "skip $proxy: soak samples JVM heap and direct memory (meridian, scg)" >&2; continue ;;
        esac
        [ "$SOAK_NMT" = 1 ] && src=nmt
        gclog="$WORK/gc-$proxy.log"
        EXTRA_JVM_OPTS="-Xlog:gc:file=$gclog"
        [ "$src" = nmt ] && EXTRA_JVM_OPTS="$EXTRA_JVM_OPTS -XX:NativeMemoryTracking=summary"
        launch "$proxy" 0.2 || { EXTRA_JVM_OPTS=""; continue; }
        EXTRA_JVM_OPTS=""
        if [ "$(secs "$SOAK_WARMUP")" -gt 0 ]; then
            echo "soak $proxy: warm-up $SOAK_WARMUP (not sampled)" >&2
            run_wrk "$PROXY_PORT" "$SOAK_WARMUP" small > /dev/null
        fi
        echo "soak $proxy: small GET, $CONNECTIONS connections, $SOAK, sample every $SAMPLE;" \
             "direct memory from $src; forced full GC (jcmd GC.run) at the end of the first and last window: $SOAK_FULL_GC" >&2
        wrk_cmd "$PROXY_PORT" "$(( soak_s + 5 ))s" small
        "${WRK_CMD[@]}" > "$WORK/soak-wrk-$proxy.txt" 2>&1 &
        wrk_pid=$!
        BG_PIDS="$BG_PIDS $wrk_pid"
        t_start="$(now_ns)"
        prev_ts="$t_start"; prev_reqs="$(origin_requests)"
        : > "$WORK/soak-$proxy.tsv"
        echo
        echo "soak: $proxy ($( [ "$src" = actuator ] && echo 'direct = jvm_buffer_memory_used_bytes{id="direct"}' || echo 'direct = NMT Other committed'))"
        printf '%6s %9s %8s %14s %10s %6s\n' "t s" "req/s" "RSS MiB" "heap-afterGC" "direct MiB" "GCs"
        for i in $(seq "$n"); do
            sleep_until $(( t_start + i * sample_s * 1000000000 ))
            if ! kill -0 "$wrk_pid" 2>/dev/null; then
                echo "wrk stopped early:" >&2; cat "$WORK/soak-wrk-$proxy.txt" >&2; break
            fi
            if ! kill -0 "$PROXY_PID" 2>/dev/null; then
                echo "$proxy exited during the soak" >&2; tail -n 20 "$WORK/$proxy.log" >&2; break
            fi
            mark=" "
            if [ "$SOAK_FULL_GC" = 1 ] && { [ "$i" -eq "$win" ] || [ "$i" -eq "$n" ]; }; then
                taskset -c "$LOAD_CPU" jcmd "$PROXY_PID" GC.run > /dev/null 2>&1 && mark="*"
            fi
            ts="$(now_ns)"; reqs="$(origin_requests)"
            rss="$(rss_kib "$PROXY_PID")"
            heap="$(heap_after_gc "$gclog")"
            direct="$(direct_mib "$src" "$PROXY_PID")"
            gcs="$(gc_count "$gclog")"
            rate="$(awk -v a="$prev_reqs" -v b="$reqs" -v t0="$prev_ts" -v t1="$ts" \
                'BEGIN{ if (a != "" && b != "") printf "%.0f", (b - a) / ((t1 - t0) / 1e9); else print "-" }')"
            prev_ts="$ts"; prev_reqs="$reqs"
            printf '%6d %9s %8.1f %13s%s %10s %6s\n' $(( i * sample_s )) "$rate" "$(awk -v k="$rss" 'BEGIN{print k / 1024}')" \
                "${heap:--}" "$mark" "${direct:--}" "$gcs"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$rss" "${heap:-}" "${direct:-}" "$mark" "$rate" >> "$WORK/soak-$proxy.tsv"
        done
        wait "$wrk_pid" 2>/dev/null || true
        forget "$wrk_pid"
        line="$(wrk_result < "$WORK/soak-wrk-$proxy.txt")"
        halt_proxy
        if [ -n "$line" ]; then
            echo "$line" | awk '{printf "wrk total: %d requests in %.0f s (%.0f req/s), p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d errors\n",
                $1, $2 / 1e6, $1 / ($2 / 1e6), $3 / 1000, $4 / 1000, $5 / 1000, $6}'
        else
            echo "wrk gave no summary:"; cat "$WORK/soak-wrk-$proxy.txt"
        fi
        # Verdict: mean of the first window vs mean of the last window for RSS and direct; for the
        # heap, the live heap after the forced full GCs (or the lowest heap-after-GC per window when
        # SOAK_FULL_GC=0). Growth = more than max(4 MiB, 5 %).
        awk -F'\t' -v win="$win" -v sample="$sample_s" -v forced="$SOAK_FULL_GC" '
        { i[NR] = $1; rss[NR] = $2 / 1024; heap[NR] = $3; dir[NR] = $4; mk[NR] = $5; rows = NR }
        function grew(a, b) { return (b - a) > ((a * 0.05 > 4) ? a * 0.05 : 4) }
        function fmt(name, a, b) { return sprintf("%s %.1f -> %.1f MiB (%+.1f)", name, a, b, b - a) }
        END {
            if (rows < 2) { print "verdict: not enough samples"; exit }
            w = win; if (w * 2 > rows) w = int(rows / 2); if (w < 1) w = 1
            # Means over the samples that have a value (a scrape can time out under load).
            for (j = 1; j <= w; j++) {
                r1 += rss[j]; r2 += rss[rows - w + j]
                if (dir[j] != "") { d1 += dir[j]; n1++ }
                if (dir[rows - w + j] != "") { d2 += dir[rows - w + j]; n2++ }
            }
            r1 /= w; r2 /= w; hasdir = (n1 > 0 && n2 > 0); if (hasdir) { d1 /= n1; d2 /= n2 }
            h1 = ""; h2 = ""
            for (j = 1; j <= w; j++) {
                if (forced == 1 && mk[j] == "*") h1 = heap[j]
                if (forced == 1 && mk[rows - w + j] == "*") h2 = heap[rows - w + j]
            }
            if (h1 == "" || h2 == "") {
                h1 = ""; h2 = ""; htag = "lowest heap after GC"
                for (j = 1; j <= w; j++) {
                    if (heap[j] != "" && (h1 == "" || heap[j] + 0 < h1 + 0)) h1 = heap[j]
                    x = heap[rows - w + j]; if (x != "" && (h2 == "" || x + 0 < h2 + 0)) h2 = x
                }
            } else htag = "live heap after full GC"
            bad = 0; notes = ""
            if (h1 != "" && h2 != "" && grew(h1, h2)) { bad = 1; notes = notes " heap" }
            if (hasdir && grew(d1, d2)) { bad = 1; notes = notes " direct" }
            printf "\nfirst vs last %d s: %s; %s; %s\n", w * sample,
                (h1 != "" && h2 != "") ? fmt(htag, h1, h2) : htag " n/a",
                hasdir ? fmt("direct (mean)", d1, d2) : "direct n/a",
                fmt("RSS (mean)", r1, r2) (grew(r1, r2) ? " [RSS grew]" : "")
            if (bad) print "verdict: GROWTH in" notes " (more than max(4 MiB, 5%) between the first and the last window)"
            else print "verdict: flat: heap and direct memory within max(4 MiB, 5%) between the first and the last window"
            if (w * sample < 60) print "(short run: windows of " w * sample " s instead of a minute; use SOAK=600s for the real check)"
        }' "$WORK/soak-$proxy.tsv"
        echo "(* = heap after a forced full GC, jcmd GC.run; other rows: heap after the most recent GC of any kind)"
    done
}

# --- main ---------------------------------------------------------------------------------------

echo "mode $MODE: origin nginx on CPU $LOAD_CPU, 127.0.0.1:$ORIGIN_PORT; wrk -t1 -c$CONNECTIONS on CPU $LOAD_CPU;" \
     "proxy on CPU $PROXY_CPU, 127.0.0.1:$PROXY_PORT; proxies: $PROXIES" >&2
taskset -c "$LOAD_CPU" nginx -c "$(render nginx-origin.conf)" &
ORIGIN_PID=$!
wait_up "$ORIGIN_PORT" 0.2 "$ORIGIN_PID"

case "$MODE" in
    compare) run_compare ;;
    warmup) run_warmup ;;
    soak) run_soak ;;
esac
