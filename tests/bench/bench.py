"""Benchmark driver: `tabgov sync` against the tableauserverclient baseline
(tsc_baseline.py) on tableau-sim, reported as medians. Run it through
tests/bench/run.sh, which builds the binaries and the virtualenv first.

Per scenario it starts one simulator, then alternates tabgov and the baseline
`--reps` times. Each tabgov run syncs into a fresh SQLite store; in a re-sync
scenario the same store is synced a second time with nothing changed. Wall
time and peak RSS are the child process's own (os.wait4), requests are read
from the simulator's `/_sim/stats` counter before and after each run, so both
sides are counted the same way. Standard library only.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass

SEED = 1
# tabgov runs with its default flags; its default --concurrency (the most
# requests in flight) is what the round-trip floor divides by.
TABGOV_CONCURRENCY = 8


@dataclass(frozen=True)
class Scenario:
    name: str
    users: int
    groups: int
    memberships_per_user: int
    owners_fraction: float
    latency_ms: int
    resync: bool

    def describe(self) -> str:
        return (
            f"{self.users} users, {self.groups} groups, {self.memberships_per_user} memberships per user, "
            f"{self.owners_fraction:.0%} content owners, {self.latency_ms} ms latency per request"
        )


FULL = [
    Scenario("20k", 20_000, 400, 4, 0.1, 20, resync=False),
    Scenario("100k", 100_000, 2_000, 4, 0.1, 0, resync=True),
]
TINY = [
    Scenario("tiny-latency", 300, 12, 4, 0.1, 20, resync=False),
    Scenario("tiny-resync", 500, 20, 4, 0.1, 0, resync=True),
]

# Targets (issue 8). Reported, never asserted: a benchmark is not a timed test.
SPEEDUP_TARGET = 10.0
FLOOR_TARGET = 1.5
RSS_TARGET_MB = 200.0
RESYNC_SPEEDUP_TARGET = 3.0


@dataclass
class Measured:
    wall: float
    cpu: float
    rss_mb: float
    requests: int
    sign_ins: int
    output: str


class Simulator:
    """One tableau-sim process, stopped on exit."""

    def __init__(self, binary: str, s: Scenario):
        cmd = [
            binary, "--users", str(s.users), "--groups", str(s.groups),
            "--memberships-per-user", str(s.memberships_per_user),
            "--owners-fraction", str(s.owners_fraction), "--latency-ms", str(s.latency_ms),
            "--seed", str(SEED),
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.stop()
            raise SystemExit(f"tableau-sim did not print its address (got: {line!r})")
        self.url = line.removeprefix("listening on ")
        # Keep draining stdout so the simulator never blocks on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def stats(self) -> tuple[int, int]:
        with urllib.request.urlopen(f"{self.url}/_sim/stats", timeout=10) as r:
            stats = json.load(r)["stats"]
        return int(stats["requests"]), int(stats["signIns"])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def run_measured(cmd: list[str], env: dict, cwd: str, sim: Simulator) -> Measured:
    """Runs `cmd` to completion; fails the benchmark if it fails."""
    before, sign_ins_before = sim.stats()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:2])}... exited {proc.returncode}:\n{stderr}{stdout}")
    after, sign_ins_after = sim.stats()
    return Measured(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        requests=after - before,
        sign_ins=sign_ins_after - sign_ins_before,
        output=stdout,
    )


def clean_env() -> dict:
    """The caller's environment without TABGOV_* settings, plus the sim's PAT secret."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TABGOV_")}
    env["TABGOV_PAT_SECRET"] = "admin-secret"
    env.pop("RUST_LOG", None)
    return env


def tabgov_sync(args, url: str, db: str, workdir: str, sim: Simulator, binary: str | None = None) -> tuple[Measured, dict]:
    store = db if db.startswith("postgres") else f"sqlite://{db}"
    cmd = [
        binary or args.tabgov, "--db", store, "-q", "sync", "--server", url, "--site", "",
        "--pat-name", "admin-pat", "--format", "json",
    ]
    m = run_measured(cmd, clean_env(), workdir, sim)
    return m, json.loads(m.output)[0]


def fresh_postgres_db(admin_url: str, name: str) -> str:
    """A new, empty database on the --postgres server (created with psql)."""
    subprocess.run(["psql", "-q", admin_url, "-c", f"CREATE DATABASE {name}"], check=True,
                   stdout=subprocess.DEVNULL)
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def baseline(args, url: str, workdir: str, sim: Simulator) -> tuple[Measured, dict]:
    cmd = [args.python, args.baseline, "--server", url, "--site", "", "--pat-name", "admin-pat"]
    m = run_measured(cmd, clean_env(), workdir, sim)
    return m, json.loads(m.output.strip().splitlines()[-1])


def same_site(report: dict, collected: dict) -> None:
    """Both sides must have read the same site, or the timings compare nothing."""
    ours = {k: report["summary"][k] for k in ("users", "groups", "memberships")}
    theirs = {k: collected[k] for k in ("users", "groups", "memberships")}
    if ours != theirs:
        raise SystemExit(f"tabgov and the baseline read different sites: {ours} vs {theirs}")


def quiet_resync(report: dict) -> None:
    s = report["summary"]
    moved = {k: s[k] for k in ("joined", "left", "changed", "accounts_written", "memberships_added", "events")}
    if any(moved.values()):
        raise SystemExit(f"the no-change re-sync changed something: {moved}")


def run_scenario(args, s: Scenario) -> dict:
    print(f"\n== scenario {s.name}: {s.describe()}", flush=True)
    sim = Simulator(args.sim, s)
    runs = {"tabgov": [], "baseline": [], "resync": [], "against": [], "against_resync": [],
            "postgres": [], "postgres_resync": []}
    try:
        for rep in range(1, args.reps + 1):
            with tempfile.TemporaryDirectory(prefix="tabgov-bench-") as work:
                db = os.path.join(work, "tabgov.db")
                m, report = tabgov_sync(args, sim.url, db, work, sim)
                runs["tabgov"].append(m)
                line = f"  rep {rep}: tabgov {m.wall:.2f} s, {m.requests} requests, {m.rss_mb:.0f} MB"
                if s.resync:
                    r, again = tabgov_sync(args, sim.url, db, work, sim)
                    quiet_resync(again)
                    runs["resync"].append(r)
                    line += f"; re-sync {r.wall:.2f} s, {r.rss_mb:.0f} MB"
                print(line, flush=True)
                if args.against:
                    other = os.path.join(work, "against.db")
                    a, _ = tabgov_sync(args, sim.url, other, work, sim, args.against)
                    runs["against"].append(a)
                    line = f"  rep {rep}: against {a.wall:.2f} s, {a.rss_mb:.0f} MB"
                    if s.resync:
                        ar, _ = tabgov_sync(args, sim.url, other, work, sim, args.against)
                        runs["against_resync"].append(ar)
                        line += f"; re-sync {ar.wall:.2f} s, {ar.rss_mb:.0f} MB"
                    print(line, flush=True)
                if args.postgres:
                    name = f"tabgov_bench_{os.getpid()}_{s.name.replace('-', '_')}_{rep}"
                    pg = fresh_postgres_db(args.postgres, name)
                    p, _ = tabgov_sync(args, sim.url, pg, work, sim)
                    runs["postgres"].append(p)
                    line = f"  rep {rep}: postgres {p.wall:.2f} s, {p.rss_mb:.0f} MB"
                    if s.resync:
                        pr, again = tabgov_sync(args, sim.url, pg, work, sim)
                        quiet_resync(again)
                        runs["postgres_resync"].append(pr)
                        line += f"; re-sync {pr.wall:.2f} s, {pr.rss_mb:.0f} MB"
                    print(line, flush=True)
                b, collected = baseline(args, sim.url, work, sim)
                runs["baseline"].append(b)
                same_site(report, collected)
                print(f"  rep {rep}: baseline {b.wall:.2f} s, {b.requests} requests, {b.rss_mb:.0f} MB", flush=True)
    finally:
        sim.stop()
    return summarize(args, s, runs)


def median_of(ms: list[Measured]) -> dict:
    return {
        "wall_s": statistics.median(m.wall for m in ms),
        "cpu_s": statistics.median(m.cpu for m in ms),
        "peak_rss_mb": statistics.median(m.rss_mb for m in ms),
        "max_rss_mb": max(m.rss_mb for m in ms),
        "requests": int(statistics.median(m.requests for m in ms)),
        "sign_ins": int(statistics.median(m.sign_ins for m in ms)),
    }


def summarize(args, s: Scenario, runs: dict) -> dict:
    tabgov, base = median_of(runs["tabgov"]), median_of(runs["baseline"])
    result = {"scenario": asdict(s), "reps": args.reps, "concurrency": TABGOV_CONCURRENCY,
              "tabgov": tabgov, "baseline": base, "speedup": base["wall_s"] / tabgov["wall_s"]}
    if s.latency_ms:
        # Sign-in is the one request the simulator answers without latency.
        waited = tabgov["requests"] - tabgov["sign_ins"]
        result["floor_s"] = waited * s.latency_ms / 1000 / TABGOV_CONCURRENCY
        result["floor_ratio"] = tabgov["wall_s"] / result["floor_s"]
    if runs["resync"]:
        result["resync"] = median_of(runs["resync"])
        result["resync_speedup"] = tabgov["wall_s"] / result["resync"]["wall_s"]
    if runs["postgres"]:
        result["postgres"] = median_of(runs["postgres"])
        if runs["postgres_resync"]:
            result["postgres_resync"] = median_of(runs["postgres_resync"])
    if runs["against"]:
        result["against"] = median_of(runs["against"])
        if runs["against_resync"]:
            result["against_resync"] = median_of(runs["against_resync"])
    print_result(args, s, result)
    return result


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_result(args, s: Scenario, r: dict) -> None:
    print(f"\n-- {s.name}: medians of {args.reps} run(s); tabgov with its default flags")
    print(f"  {'':<22}{'wall s':>9}{'cpu s':>9}{'requests':>10}{'peak RSS MB':>13}")
    rows = [("tabgov sync", r["tabgov"]), ("tsc baseline", r["baseline"])]
    if "resync" in r:
        rows.insert(1, ("tabgov re-sync", r["resync"]))
    if "postgres" in r:
        rows.append(("postgres sync", r["postgres"]))
    if "postgres_resync" in r:
        rows.append(("postgres re-sync", r["postgres_resync"]))
    if "against" in r:
        rows.append(("--against sync", r["against"]))
    if "against_resync" in r:
        rows.append(("--against re-sync", r["against_resync"]))
    for label, m in rows:
        print(f"  {label:<22}{m['wall_s']:>9.2f}{m['cpu_s']:>9.2f}{m['requests']:>10}{m['peak_rss_mb']:>13.0f}")
    print(f"  baseline / tabgov: {r['speedup']:.1f}x")
    if "floor_s" in r:
        t = r["tabgov"]
        print(f"  round-trip floor: {t['requests'] - t['sign_ins']} requests x {s.latency_ms} ms / "
              f"{TABGOV_CONCURRENCY} = {r['floor_s']:.2f} s; tabgov at {r['floor_ratio']:.2f}x the floor")
    if "resync" in r:
        print(f"  first sync / no-change re-sync: {r['resync_speedup']:.1f}x")
    for pg, lite, what in [("postgres", "tabgov", "sync"), ("postgres_resync", "resync", "re-sync")]:
        if pg in r and lite in r:
            a, b = r[pg], r[lite]
            print(f"  {what}, PostgreSQL / SQLite store: wall {a['wall_s'] / b['wall_s']:.2f}x, "
                  f"tabgov's peak RSS {a['peak_rss_mb'] / b['peak_rss_mb']:.2f}x")
    for ours, theirs, what in [("tabgov", "against", "sync"), ("resync", "against_resync", "re-sync")]:
        if ours in r and theirs in r:
            a, b = r[ours], r[theirs]
            print(f"  {what}, this tabgov / --against: wall {a['wall_s'] / b['wall_s']:.2f}x, "
                  f"peak RSS {a['peak_rss_mb'] / b['peak_rss_mb']:.2f}x")
    if args.tiny:
        print("  (tiny mode: a smoke run; the targets apply to the full scenarios only)")
        return
    if "floor_s" in r:
        print(f"  target: tabgov >= {SPEEDUP_TARGET:.0f}x faster than the baseline: "
              f"{verdict(r['speedup'] >= SPEEDUP_TARGET)} ({r['speedup']:.1f}x)")
        print(f"  target: tabgov within {FLOOR_TARGET}x the floor: "
              f"{verdict(r['floor_ratio'] <= FLOOR_TARGET)} ({r['floor_ratio']:.2f}x)")
    if "resync" in r:
        peak = max(r["tabgov"]["max_rss_mb"], r["resync"]["max_rss_mb"])
        print(f"  target: tabgov peak RSS under {RSS_TARGET_MB:.0f} MB: {verdict(peak < RSS_TARGET_MB)} "
              f"({peak:.0f} MB, highest of all its runs)")
        print(f"  target: no-change re-sync >= {RESYNC_SPEEDUP_TARGET:.0f}x faster than the first: "
              f"{verdict(r['resync_speedup'] >= RESYNC_SPEEDUP_TARGET)} ({r['resync_speedup']:.1f}x)")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    os_name = platform.platform()
    if os.path.exists("/etc/os-release"):
        fields = dict(line.rstrip().split("=", 1) for line in open("/etc/os-release") if "=" in line)
        os_name = f"{fields.get('PRETTY_NAME', '?').strip(chr(34))}, Linux {platform.release()}"
    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu, "os": os_name}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tabgov", required=True, help="the tabgov binary")
    ap.add_argument("--sim", required=True, help="the tableau-sim binary")
    ap.add_argument("--python", required=True, help="python of the virtualenv with tableauserverclient")
    ap.add_argument("--baseline", required=True, help="tsc_baseline.py")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per scenario (default 3; 1 with --tiny)")
    ap.add_argument("--scenario", action="append", help="run only this scenario (repeatable)")
    ap.add_argument("--tiny", action="store_true", help="small scenarios, one repetition: a smoke run")
    ap.add_argument("--out", help="also write the results as JSON to this file")
    ap.add_argument("--postgres", help="admin URL of a PostgreSQL server: each repetition also syncs into a new "
                    "database there (created with psql), for a side-by-side ratio with the SQLite store")
    ap.add_argument("--against", help="another tabgov binary (e.g. an earlier commit's) run alternately with "
                    "this one, with the same flags, for a side-by-side ratio")
    args = ap.parse_args()
    args.reps = args.reps or (1 if args.tiny else 3)
    # Each run has its own working directory (no tabgov.toml is picked up).
    for name in ("tabgov", "sim", "python", "baseline"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    if args.reps < 1:
        ap.error("--reps takes 1 or more")
    scenarios = TINY if args.tiny else FULL
    if args.scenario:
        unknown = set(args.scenario) - {s.name for s in scenarios}
        if unknown:
            ap.error(f"unknown scenario {', '.join(sorted(unknown))}; "
                     f"choose from {', '.join(s.name for s in scenarios)}")
        scenarios = [s for s in scenarios if s.name in args.scenario]

    host = machine()
    print(f"machine: {host['nproc']} CPUs ({host['cpu']}), {host['memory_gb']} GB, {host['os']}")
    results = [run_scenario(args, s) for s in scenarios]
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"machine": host, "results": results}, f, indent=2)
        print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
