# Helpers sourced by run.sh: CPU seconds of a process, requests counted by a DelayProxy, the load average.

clock_ticks=$(getconf CLK_TCK)

# cpu_seconds PID: user+sys CPU seconds the process has used so far (all its threads), from /proc/PID/stat.
cpu_seconds() {
  # Fields 14 and 15 (utime, stime) counted after the command name, which may hold spaces: cut at the last ')'.
  awk -v t="$clock_ticks" '{ sub(/^.*\) /, ""); print ($12 + $13) / t }' "/proc/$1/stat"
}

# proxy_requests URL: the requests a DelayProxy forwarded so far, e.g. "GET=10 PUT=5 POST=1 OTHER=0".
proxy_requests() { curl -fsS "$1/__proxy/stats"; }

# requests_between BEFORE AFTER: "total get put post" forwarded between two proxy_requests lines.
requests_between() {
  python3 - "$1" "$2" <<'PY'
import sys
def parse(line): return {k: int(v) for k, v in (item.split("=") for item in line.split())}
before, after = parse(sys.argv[1]), parse(sys.argv[2])
d = {k: after[k] - before[k] for k in after}
print(sum(d.values()), d["GET"], d["PUT"], d["POST"])
PY
}

load_average() { cut -d' ' -f1 /proc/loadavg; }

now() { date +%s.%N; }
