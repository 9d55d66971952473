"""Prints the rollout benchmark's tables and ratios from run.sh's results.tsv; exits 3 when a target is missed.

usage: report.py RESULTS.tsv USERS CORES UPTIME.txt STARTUP.txt
Each line of RESULTS.tsv: condition, client, users, seconds, cpu, rss_kib, requests, get, put, post, server_cpu,
proxy_cpu, load1 ("-" where not measured), in the order they ran. Lines named "neighbour-N c=C" are the tuned client
that sends every request IdpBridge sends, run right before and after each IdpBridge run: an IdpBridge run is compared
with the mean of its two neighbours' best levels, since Keycloak keeps getting faster through the benchmark.
"""
import sys

TARGET_TUNED, TARGET_NAIVE, TARGET_KCADM, TARGET_CPU_MS = 0.9, 5.0, 400.0, 0.55
MODES = {"getput": "GET+PUT", "getput-sweep": "GET+PUT, pages read twice", "put": "PUT only"}

path, users, cores, uptime = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
startup = sys.argv[5] if len(sys.argv) > 5 else None
rows = []
for line in open(path):
    f = line.rstrip("\n").split("\t")
    num = lambda v: None if v == "-" else float(v)
    rows.append(dict(condition=f[0], client=f[1], users=int(f[2]), seconds=float(f[3]), cpu=num(f[4]), rss=num(f[5]),
                     requests=num(f[6]), get=num(f[7]), put=num(f[8]), post=num(f[9]), server=num(f[10]),
                     proxy=num(f[11]), load=float(f[12])))
for r in rows:
    r["rate"] = r["users"] / r["seconds"]

fmt = lambda v, spec: "" if v is None else format(v, spec)


def table(condition):
    mine = [r for r in rows if r["condition"] == condition]
    print(f"\n### {condition}\n")
    print("| client | users | wall s | users/s | requests/user | client CPU s | CPU ms/user | peak RSS MiB "
          "| Keycloak CPU s | Keycloak cores | proxy CPU s | load 1m |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in mine:
        if r["client"].startswith(("tuned", "neighbour")):
            continue
        name = r["client"]
        if name in ("naive", "kcadm"):
            name += f" (sample; {users:,} users ≈ {users / r['rate']:,.0f} s)"
        print(f"| {name} | {r['users']:,} | {r['seconds']:.1f} | {r['rate']:,.1f} | {fmt(r['requests'] / r['users'], '.3f')} "
              f"| {fmt(r['cpu'], '.2f')} | {fmt(r['cpu'] and 1000 * r['cpu'] / r['users'], '.2f')} | {fmt(r['rss'] and r['rss'] / 1024, '.0f')} "
              f"| {fmt(r['server'], '.1f')} | {fmt(r['server'] and r['server'] / r['seconds'], '.2f')} | {fmt(r['proxy'], '.1f')} | {r['load']:.1f} |")
    for mode in MODES:
        best = max((r for r in mine if r["client"].startswith(f"tuned-{mode} ")), key=lambda r: r["rate"], default=None)
        if best:
            print(f"| {best['client']} (best of the curve) | {best['users']:,} | {best['seconds']:.1f} | {best['rate']:,.1f} "
                  f"| {best['requests'] / best['users']:.3f} | {best['cpu']:.2f} | {1000 * best['cpu'] / best['users']:.2f} | "
                  f"| {best['server']:.1f} | {best['server'] / best['seconds']:.2f} | | {best['load']:.1f} |")
    print(f"\nIdpBridge beside its neighbours ({condition}; the tuned client with the pages read twice, best level, right before "
          "and after; users/s):\n")
    print("| client | users/s | neighbour before | neighbour after | ratio to their mean |")
    print("|---|---:|---:|---:|---:|")
    for r in mine:
        if r["client"].startswith("idpbridge"):
            before, after = neighbours(r)
            print(f"| {r['client']} | {r['rate']:,.0f} | {fmt(before and before['rate'], ',.0f')} ({before and before['client']}) "
                  f"| {fmt(after and after['rate'], ',.0f')} ({after and after['client']}) | {fmt(beside(r), '.2f')} |")
    print(f"\nTuned client, users/s by concurrency ({condition}; Keycloak cores in parentheses):\n")
    levels = sorted({int(r["client"].split("c=")[1]) for r in mine if r["client"].startswith("tuned")})
    print("| mode | " + " | ".join(f"c={c}" for c in levels) + " |")
    print("|---|" + "---:|" * len(levels))
    for mode, label in MODES.items():
        cells = []
        for c in levels:
            r = next((r for r in mine if r["client"] == f"tuned-{mode} c={c}"), None)
            cells.append("" if r is None else f"{r['rate']:,.0f} ({r['server'] / r['seconds']:.2f})")
        print(f"| {label} | " + " | ".join(cells) + " |")


def neighbours(run):
    """The best level of the neighbour runs right before and right after an IdpBridge run (None where there is none)."""
    at = rows.index(run)
    groups = lambda part: [r for r in part if r["condition"] == run["condition"] and r["client"].startswith("neighbour-")]
    before = groups(rows[:at])
    after = groups(rows[at + 1:])
    best = lambda group, name: max((r for r in group if r["client"].split()[0] == name), key=lambda r: r["rate"])
    return (best(before, before[-1]["client"].split()[0]) if before else None,
            best(after, after[0]["client"].split()[0]) if after else None)


def beside(run):
    """The run's users/s over the mean of its neighbours' (either alone when the other is missing); None without any."""
    rates = [r["rate"] for r in neighbours(run) if r]
    return run["rate"] / (sum(rates) / len(rates)) if rates else None


def rate(condition, client):
    candidates = [r for r in rows if r["condition"] == condition and (r["client"] == client or r["client"].startswith(client + " "))]
    return max(candidates, key=lambda r: r["rate"], default=None)


print(f"Keycloak 26.7.3 (start-dev, H2) and every client on this machine ({cores} cores); {users:,} users.")
print("Load average (uptime) around each condition:")
for line in open(uptime):
    print("  " + line.strip())
startup_wall, startup_cpu, startup_rss = (float(v) for v in open(startup).read().split()) if startup else (0.0, 0.0, 0.0)
print(f"IdpBridge start-up alone (policy list, empty store): {startup_wall:.2f} s wall, {startup_cpu:.2f} s CPU, "
      f"{startup_rss / 1024:.0f} MiB peak RSS: part of each rollout's CPU below.")
conditions = list(dict.fromkeys(r["condition"] for r in rows))
for condition in conditions:
    table(condition)

print("\n### Ratios (IdpBridge with default settings)\n")
missed = []


def check(label, value, target, higher=True):
    ok = value >= target if higher else value <= target
    print(f"- {label}: {value:,.2f} (target {'≥' if higher else '≤'} {target:g}) {'met' if ok else 'MISSED'}")
    if not ok:
        missed.append(label)


for condition in conditions:
    default = rate(condition, "idpbridge default")
    best = max((r for r in rows if r["condition"] == condition and r["client"].startswith("idpbridge")), key=lambda r: r["rate"])
    tuned = rate(condition, "tuned-getput")
    tuned_put = rate(condition, "tuned-put")
    tuned_sweep = rate(condition, "tuned-getput-sweep")
    naive, kcadm = rate(condition, "naive"), rate(condition, "kcadm")
    print(f"{condition}: default {default['rate']:,.0f} users/s; best IdpBridge {best['client']} {best['rate']:,.0f}; "
          f"tuned GET+PUT {tuned['rate']:,.0f} ({tuned['client']}); tuned PUT only {tuned_put['rate']:,.0f} ({tuned_put['client']})")
    check(f"{condition}: default / its neighbours, the tuned client that sends the same requests", beside(default), TARGET_TUNED)
    print(f"  (best IdpBridge beside its neighbours: {best['client']} {beside(best):.2f})")
    print(f"  (against the curves, minutes apart: default / tuned GET+PUT {default['rate'] / tuned['rate']:.2f}, best IdpBridge "
          f"{best['rate'] / tuned['rate']:.2f}; default / tuned PUT only {default['rate'] / tuned_put['rate']:.2f})")
    if tuned_sweep:
        print(f"  (default / tuned GET+PUT with the pages read twice, best of its curve: "
              f"{default['rate'] / tuned_sweep['rate']:.2f}; best IdpBridge: {best['rate'] / tuned_sweep['rate']:.2f})")
    if condition != "loopback":
        check(f"{condition}: default / naive", default["rate"] / naive["rate"], TARGET_NAIVE)
    else:
        print(f"  (default / naive on loopback: {default['rate'] / naive['rate']:.1f}x, no target)")
    check(f"{condition}: default / kcadm.sh", default["rate"] / kcadm["rate"], TARGET_KCADM)
    check(f"{condition}: IdpBridge CPU ms per marked user", 1000 * default["cpu"] / default["users"], TARGET_CPU_MS, higher=False)
    jit = rate(condition, "idpbridge-jit default")
    if jit:
        per_user = lambda r: 1000 * r["cpu"] / r["users"]
        print(f"  (the same rollout by dotnet idpbridge.dll: {per_user(jit):.2f} ms per marked user, the native binary "
              f"{per_user(default) / per_user(jit):.2f} of it; {jit['rate']:,.0f} users/s, the native binary "
              f"{default['rate'] / jit['rate']:.2f}x)")
    print(f"  (less the start-up alone: {1000 * (default['cpu'] - startup_cpu) / default['users']:.2f} ms per marked user; "
          f"the tuned GET+PUT client at its best level, same machine and load: {1000 * tuned['cpu'] / tuned['users']:.2f} ms per user)")

if missed:
    print("\nTargets missed: " + "; ".join(missed))
    sys.exit(3)
print("\nAll targets met.")
