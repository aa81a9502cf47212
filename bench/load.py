"""Load: 200 patients at a fixed offered rate (open loop); POST cramp against a bare view (closed loop)."""

import argparse
import asyncio
import contextlib
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import redis

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faults.clients import TABLES, entry, headers  # noqa: E402
from bench.faults.stack import ALL_CPUS, PYTHON, Stack, exit_on_sigterm, tree_cpu_seconds  # noqa: E402
from tests.push_service import FakePushService  # noqa: E402

# bench/load_urls.py serves them; not imported from there, as that module needs Django set up.
BARE_URL = "/bench/bare-cramps/"
PLAIN_DRF_URL = "/bench/plain-drf-cramps/"
# What 200 patients do, by weight: mostly logging (cramps, drinks, stockings, elevation), check-ins, and
# opening the trends screen (90 days, as the PWA asks) and the insights.
MIX = {
    "POST cramps": 25,
    "POST checkins": 20,
    "POST hydration": 15,
    "POST elevations": 5,
    "POST compression": 5,
    "GET trends": 15,
    "GET insights": 15,
}
READS = {"GET trends": "/api/v1/trends/?days=90", "GET insights": "/api/v1/insights/"}
REQUEST_TIMEOUT = 30
# The generator and the server each get a core of their own: the generator (this process's event loop)
# the first, gunicorn's workers the last. PostgreSQL, Redis and Celery may use either, as the kernel likes.
GENERATOR_CPU = ALL_CPUS[0]
SERVER_CPUS = [ALL_CPUS[-1]] if len(ALL_CPUS) > 1 else None


@dataclass
class Result:
    action: str
    status: int | None
    expected: int
    latency: float  # from the moment the request was due, not when it left: a late send counts
    lag: float  # how late the generator sent it
    error: str


def arrivals(patients: int, rate: float, seconds: float, seed: int) -> list[tuple[float, int, str]]:
    """Each patient's requests as a Poisson process at rate/patients per second, all known in advance, so
    that a slow server cannot slow the clients down (an open loop)."""
    rng = random.Random(seed)
    actions, weights = list(MIX), list(MIX.values())
    schedule = []
    for patient in range(patients):
        moment = rng.expovariate(rate / patients)
        while moment < seconds:
            schedule.append((moment, patient, rng.choices(actions, weights)[0]))
            moment += rng.expovariate(rate / patients)
    return sorted(schedule)


def request_for(action: str, base_url: str, rng: random.Random) -> tuple[str, str, str | None, int]:
    method, _, what = action.partition(" ")
    if method == "POST":
        _record_id, body = entry(what, rng)
        return method, f"{base_url}/api/v1/{what}/", body, 201
    return method, base_url + READS[action], None, 200


# Writes sent per patient's token over the whole run, to compare with the write throttle.
WRITES: Counter = Counter()


async def send(session, method: str, url: str, body: str | None, token: str) -> tuple[int | None, str]:
    if method == "POST":
        WRITES[token] += 1
    try:
        async with session.request(method, url, data=body, headers=headers(token)) as response:
            await response.read()
            return response.status, ""
    except (aiohttp.ClientError, TimeoutError) as exc:
        return None, type(exc).__name__


def new_session() -> aiohttp.ClientSession:
    # No connection limit: a phone does not wait for another patient's request to finish.
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    )


async def open_loop(
    base_url: str, tokens: list[str], schedule: list, seed: int
) -> tuple[list[Result], float]:
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    results: list[Result] = []
    async with new_session() as session:
        start = loop.time() + 0.5

        async def one(offset: float, patient: int, action: str) -> None:
            due = start + offset
            await asyncio.sleep(due - loop.time())
            lag = loop.time() - due
            method, url, body, expected = request_for(action, base_url, rng)
            status, error = await send(session, method, url, body, tokens[patient])
            results.append(Result(action, status, expected, loop.time() - due, lag, error))

        await asyncio.gather(*(one(*arrival) for arrival in schedule))
        elapsed = loop.time() - start
    return results, elapsed


async def warm_up(base_url: str, tokens: list[str], per_action: int = 16) -> Counter:
    """Every kind of request a few times per worker, so the measured run finds them all warm."""
    rng = random.Random(99)
    failures = Counter()
    async with new_session() as session:
        for action in MIX:
            requests = [request_for(action, base_url, rng) for _ in range(per_action)]
            answers = await asyncio.gather(
                *(
                    send(session, method, url, body, tokens[number % len(tokens)])
                    for number, (method, url, body, _expected) in enumerate(requests)
                )
            )
            for (status, error), request in zip(answers, requests, strict=True):
                if status != request[3]:
                    failures[f"{action}: {status or error}"] += 1
    return failures


async def closed_loop(url: str, tokens: list[str], clients: int, seconds: float, seed: int) -> dict:
    """`clients` clients, each POSTing a new cramp as soon as its last one is answered."""
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    errors: Counter = Counter()
    async with new_session() as session:
        until = loop.time() + seconds

        async def client(number: int) -> None:
            turn = number
            while loop.time() < until:
                token = tokens[turn % len(tokens)]
                turn += clients
                _record_id, body = entry("cramps", rng)
                sent = loop.time()
                status, error = await send(session, "POST", url, body, token)
                if status == 201:
                    latencies.append(loop.time() - sent)
                else:
                    errors[str(status or error)] += 1

        started = loop.time()
        await asyncio.gather(*(client(number) for number in range(clients)))
        elapsed = loop.time() - started
    return {"rps": len(latencies) / elapsed, "ok": len(latencies), "errors": errors, "latencies": latencies}


@contextlib.contextmanager
def pinned_thread(cpu: int):
    """Run the calling thread on one CPU only (threads it starts inherit it), then on all again."""
    os.sched_setaffinity(0, {cpu})  # 0: the calling thread, not the whole process
    try:
        yield
    finally:
        os.sched_setaffinity(0, set(ALL_CPUS))


def drain(stack: Stack, timeout: float = 60) -> None:
    """Wait for the Celery queue to empty, so that one round's background work is not charged to the next."""
    broker = redis.Redis.from_url(stack.redis_url)
    deadline = time.monotonic() + timeout
    while broker.llen("celery") and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # the tasks the worker took last


def closed_rounds(stack, urls: dict, tokens, components, clients: int, rounds: int, seconds: float) -> dict:
    """Rounds of the closed loop against each URL, alternating, each with its CPU shares; between rounds,
    the Celery queue drains when a worker runs."""
    runs = {name: [] for name in urls}
    for number in range(rounds):
        # Alternate which goes first, so neither always runs on the warmer or the fuller table.
        for name in list(urls) if number % 2 == 0 else list(reversed(urls)):
            with Meter(components) as meter:
                run = asyncio.run(closed_loop(urls[name], tokens, clients, seconds, number))
            run["cpu"] = meter.shares()
            runs[name].append(run)
            if "celery" in components:
                drain(stack)
    return runs


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99 and max, in milliseconds."""
    if len(values) < 2:
        value = values[0] * 1000 if values else float("nan")
        return value, value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000, max(values) * 1000


class Meter:
    """CPU seconds used by the stack's processes, the generator's thread, and the machine, over a window."""

    def __init__(self, components: dict[str, list[int]]):
        self.components = dict(components)

    @staticmethod
    def machine() -> dict[str, float]:
        """Busy CPU seconds per CPU, and in all, from /proc/stat."""
        busy = {}
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("cpu"):
                name, *values = line.split()
                ticks = [int(value) for value in values[:8]]
                # user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
                busy[name] = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
        return busy

    def read(self) -> dict:
        return {
            "at": time.monotonic(),
            "generator": resource.getrusage(resource.RUSAGE_THREAD),
            "process": resource.getrusage(resource.RUSAGE_SELF),
            "machine": self.machine(),
            **{name: tree_cpu_seconds(pids) for name, pids in self.components.items()},
        }

    def __enter__(self):
        self.start = self.read()
        return self

    def __exit__(self, *exc):
        self.end = self.read()

    def shares(self) -> dict[str, float]:
        """Each one's CPU over the window, as a fraction of one core."""
        wall = self.end["at"] - self.start["at"]

        def cpu(usage) -> float:
            return usage.ru_utime + usage.ru_stime

        shares = {name: (self.end[name] - self.start[name]) / wall for name in self.components}
        shares["generator"] = (cpu(self.end["generator"]) - cpu(self.start["generator"])) / wall
        process = (cpu(self.end["process"]) - cpu(self.start["process"])) / wall
        # The rest of this process: the push sink's threads.
        shares["push sink"] = process - shares["generator"]
        machine = {
            name: (self.end["machine"][name] - self.start["machine"][name]) / wall
            for name in self.end["machine"]
        }
        shares["machine"] = machine.pop("cpu")
        shares["others"] = shares["machine"] - process - sum(shares[name] for name in self.components)
        shares["per_cpu"] = machine
        return shares


def measure(
    *,
    patients: int = 200,
    rate: float = 20.0,
    seconds: float = 60.0,
    workers: int = 4,
    history_days: int = 42,
    clients: int = 8,
    rounds: int = 10,
    round_seconds: float = 5.0,
    seed: int = 2026,
) -> dict:
    schedule = arrivals(patients, rate, seconds, seed)
    with Stack("load", settings="bench.load_settings") as stack, FakePushService() as sink:
        stack.start_postgres()
        stack.start_redis()
        stack.migrate()
        spec = [
            {
                "email": f"patient{n}@load.example.com",
                "push": sink.subscribe(f"phone{n}"),
                "reminder_at": None,
            }
            for n in range(patients)
        ]
        seeded = stack.seed({"patients": spec, "history_days": history_days, "summaries": True})
        tokens = [patient["token"] for patient in seeded["patients"]]
        history = sum(stack.sql(f"SELECT count(*) FROM {table}")[0][0] for table in TABLES.values())
        stack.start_web(workers=workers, cpus=SERVER_CPUS)
        stack.start_worker(concurrency=2)
        stack.start_beat()
        warm_failures = asyncio.run(warm_up(stack.base_url, tokens))
        if warm_failures:
            raise RuntimeError(f"warm-up requests failed: {dict(warm_failures)}\n{stack.read_log('web')}")

        # Every patient's reminder falls due during the run; beat's stand-in ticks every 5 s (beat: every
        # minute), so the worker sends them while the requests come in.
        stack.sql(
            "UPDATE diary_reminder SET next_fire_at = now() + make_interval(secs => 5 + random() * %s)",
            (seconds - 15,),
        )
        stack.start(
            "dispatcher",
            [PYTHON, "manage.py", "dispatch_reminders", "--loop", "5", "--for", seconds + 30],
        )
        stack.wait_for_log("dispatcher", "claimed")

        components = {
            "gunicorn": [stack.processes["web"].pid],
            "postgres": [stack.postmaster_pid()],
            "redis": [stack.processes["redis"].pid],
            "celery": [stack.processes["worker"].pid],
            "dispatcher": [stack.processes["dispatcher"].pid],
            "beat": [stack.processes["beat"].pid],
        }
        # Only this thread, the generator's event loop, is pinned: the push sink's threads are not, nor is
        # anything started before.
        with pinned_thread(GENERATOR_CPU):
            load_before = os.getloadavg()
            with Meter(components) as open_meter:
                results, elapsed = asyncio.run(open_loop(stack.base_url, tokens, schedule, seed))
            open_cpu = open_meter.shares()

            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                sent = stack.sql("SELECT count(*) FROM diary_delivery WHERE status = 'sent'")[0][0]
                if sent >= patients:
                    break
                time.sleep(0.5)
            deliveries = dict(stack.sql("SELECT status, count(*) FROM diary_delivery GROUP BY status"))
            stack.stop(stack.processes["dispatcher"])
            del components["dispatcher"]

            urls = {
                "api": f"{stack.base_url}/api/v1/cramps/",
                "bare": stack.base_url + BARE_URL,
                "drf": stack.base_url + PLAIN_DRF_URL,
            }
            for url in urls.values():  # a short warm-up of each, unmeasured
                asyncio.run(closed_loop(url, tokens, clients, 2, seed))
            drain(stack)
            closed = closed_rounds(stack, urls, tokens, components, clients, rounds, round_seconds)
            # The same again with the Celery worker stopped: no summary refresh runs beside the requests, so
            # this is the request path alone (the refreshes wait in Redis, as when the workers fall behind).
            stack.stop(stack.processes["worker"])
            del components["celery"]
            paused = closed_rounds(stack, urls, tokens, components, clients, rounds, round_seconds)
        load_after = os.getloadavg()

        worker_log = stack.read_log("worker", tail=10**8)
        refreshes = sum(
            1 for line in worker_log.splitlines() if "refresh_summary[" in line and " succeeded in " in line
        )
        database = stack.sql("SHOW server_version")[0][0].split()[0]
        messages = list(sink.received)

    return {
        "patients": patients,
        "seconds": seconds,
        "rate": rate,
        "workers": workers,
        "clients": clients,
        "rounds": rounds,
        "round_seconds": round_seconds,
        "history_rows": history,
        "requests": len(schedule),
        "results": results,
        "elapsed": elapsed,
        "open_cpu": open_cpu,
        "deliveries": deliveries,
        "push_messages": len(messages),
        "push_occurrences": len({message.payload["tag"] for message in messages}),
        "refreshes": refreshes,
        "closed": closed,
        "paused": paused,
        "database": f"PostgreSQL {database}",
        "load_average": (load_before, load_after),
        "most_writes_per_patient": max(WRITES.values()),
    }


def closed_summary(runs: dict) -> dict:
    """Median requests/s of each endpoint, the median of the rounds' API/bare ratios, latencies, CPU."""
    rps = {name: statistics.median(run["rps"] for run in rounds) for name, rounds in runs.items()}

    def ratios_to_bare(name: str) -> list[float]:
        return [run["rps"] / bare["rps"] for run, bare in zip(runs[name], runs["bare"], strict=True)]

    ratios = ratios_to_bare("api")
    cpu = {
        name: {
            key: statistics.median(run["cpu"][key] for run in rounds)
            for key in rounds[0]["cpu"]
            if key != "per_cpu"
        }
        for name, rounds in runs.items()
    }
    # CPU per request: what each request costs the web workers and the database, however busy the machine.
    cost = {
        name: {key: cpu[name][key] * 1000 / rps[name] for key in ("gunicorn", "postgres")} for name in runs
    }
    return {
        "rps": rps,
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "drf_ratio": statistics.median(ratios_to_bare("drf")),
        "errors": sum((run["errors"] for rounds in runs.values() for run in rounds), Counter()),
        "ms": {
            name: percentiles([x for run in rounds for x in run["latencies"]])
            for name, rounds in runs.items()
        },
        "cpu": cpu,
        "cost_ms": cost,
    }


def summarise(result: dict) -> dict:
    """Per-endpoint percentiles, errors and achieved rate of the open loop; the closed loops' figures."""
    by_action: dict[str, list[Result]] = {action: [] for action in MIX}
    for item in result["results"]:
        by_action[item.action].append(item)
    endpoints = {}
    for action, items in [*by_action.items(), ("all", result["results"])]:
        good = [item.latency for item in items if item.status == item.expected]
        errors = Counter(str(item.status or item.error) for item in items if item.status != item.expected)
        endpoints[action] = {"requests": len(items), "errors": errors, "ms": percentiles(good)}
    ok = sum(1 for item in result["results"] if item.status == item.expected)
    return {
        "endpoints": endpoints,
        "offered": result["requests"] / result["seconds"],
        "achieved": ok / result["elapsed"],
        "errors": sum(
            sum(endpoint["errors"].values()) for name, endpoint in endpoints.items() if name != "all"
        ),
        "lag_ms": percentiles([item.lag for item in result["results"]]),
        "closed": closed_summary(result["closed"]),
        "paused": closed_summary(result["paused"]),
    }


def report_closed(title: str, runs: dict, figures: dict, keys: tuple) -> None:
    names = ("api", "bare", "drf")
    print(title)
    print(f"{'':30}{'API':>10}{'bare':>10}{'plain DRF':>10}{'API/bare':>10}{'DRF/bare':>10}")
    rps = figures["rps"]
    print(
        f"{'requests/s (median)':30}"
        + "".join(f"{rps[name]:>10.0f}" for name in names)
        + f"{figures['ratio']:>10.2f}{figures['drf_ratio']:>10.2f}"
    )
    for label, index in (("latency p50 ms", 0), ("latency p99 ms", 2)):
        print(f"{label:30}" + "".join(f"{figures['ms'][name][index]:>10.1f}" for name in names))
    for key in ("gunicorn", "postgres"):
        cost = {name: figures["cost_ms"][name][key] for name in names}
        print(
            f"{'CPU ms/request, ' + key:30}"
            + "".join(f"{cost[name]:>10.2f}" for name in names)
            + f"{cost['bare'] / cost['api']:>10.2f}{cost['bare'] / cost['drf']:>10.2f}"
        )
    for key in keys:
        print(
            f"{'CPU, ' + key + ' (cores)':30}"
            + "".join(f"{figures['cpu'][name][key]:>10.2f}" for name in names)
        )
    for name in names:
        print(f"  {name} requests/s by round: " + ", ".join(f"{run['rps']:.0f}" for run in runs[name]))
    print("  API/bare by round: " + ", ".join(f"{ratio:.2f}" for ratio in figures["ratios"]))
    print(f"  errors: {dict(figures['errors']) or 0}")


def report(result: dict, summary: dict) -> None:
    cpu = result["open_cpu"]
    print(
        f"Open loop: {result['patients']} patients, {result['seconds']:.0f} s, Poisson arrivals at "
        f"{summary['offered']:.1f} requests/s offered ({result['requests']} requests; "
        f"{result['history_rows']:,} diary records of history), {result['database']}, gunicorn "
        f"{result['workers']} sync workers on CPU {SERVER_CPUS}, generator on CPU {GENERATOR_CPU}"
    )
    print(f"{'endpoint':18}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for action, endpoint in summary["endpoints"].items():
        p50, p95, p99, most = endpoint["ms"]
        errors = sum(endpoint["errors"].values())
        print(f"{action:18}{endpoint['requests']:>9}{errors:>8}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{most:>9.1f}")
    for action, endpoint in summary["endpoints"].items():
        if endpoint["errors"] and action != "all":
            print(f"  errors, {action}: {dict(endpoint['errors'])}")
    lag = summary["lag_ms"]
    print(
        f"achieved {summary['achieved']:.1f} requests/s answered as expected, of {summary['offered']:.1f} "
        f"offered; errors {summary['errors']}; the generator's send lag p50 {lag[0]:.1f} ms, "
        f"p99 {lag[2]:.1f} ms, max {lag[3]:.1f} ms"
    )
    print(
        "CPU during the open loop, in cores: "
        + ", ".join(
            f"{name} {cpu[name]:.2f}"
            for name in ("generator", "gunicorn", "postgres", "redis", "celery", "dispatcher", "push sink")
        )
        + f", other processes and the kernel {cpu['others']:.2f}; busy per CPU: "
        + ", ".join(f"{name} {share:.2f}" for name, share in sorted(cpu["per_cpu"].items()))
    )
    print(
        f"reminders: {result['patients']} fell due during the run: deliveries {result['deliveries']}; the "
        f"push service got {result['push_messages']} messages for {result['push_occurrences']} occurrences; "
        f"summary refreshes run by the worker over the whole run: {result['refreshes']}"
    )
    print(
        f"most writes by one patient over the whole run: {result['most_writes_per_patient']} (WRITE_RATE "
        f"left at 1200/hour); load average (1 min) before/after: {result['load_average'][0][0]:.2f} / "
        f"{result['load_average'][1][0]:.2f}"
    )
    print()
    report_closed(
        f"Closed loop, POST a cramp: {result['clients']} clients, {result['rounds']} rounds of "
        f"{result['round_seconds']:.0f} s per endpoint, alternating, the Celery worker running",
        result["closed"],
        summary["closed"],
        ("gunicorn", "postgres", "redis", "celery", "generator", "others"),
    )
    print()
    report_closed(
        "The same with the Celery worker stopped (the request path alone)",
        result["paused"],
        summary["paused"],
        ("gunicorn", "postgres", "redis", "generator", "others"),
    )


def run(**options) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py: figure, this project, baseline, ratio."""
    result = measure(**options)
    summary = summarise(result)
    rows = []
    for action, endpoint in summary["endpoints"].items():
        p50, p95, p99, _most = endpoint["ms"]
        rows.append(
            (
                f"load {summary['offered']:.0f}/s: {action}, p50/p95/p99 ms",
                f"{p50:.0f}/{p95:.0f}/{p99:.0f}",
                "",
                "",
            )
        )
    rows.append(("load: errors", str(summary["errors"]), "", ""))
    rows.append(
        (
            f"POST a cramp over HTTP, closed loop, requests/s ({result['database']})",
            f"{summary['closed']['rps']['api']:.0f}",
            f"{summary['closed']['rps']['bare']:.0f}",
            f"{summary['closed']['ratio']:.2f}",
        )
    )
    rows.append(
        (
            "  plain DRF CreateAPIView, the same insert, requests/s",
            f"{summary['closed']['rps']['drf']:.0f}",
            f"{summary['closed']['rps']['bare']:.0f}",
            f"{summary['closed']['drf_ratio']:.2f}",
        )
    )
    rows.append(
        (
            "  the API with the Celery worker stopped (the request path alone)",
            f"{summary['paused']['rps']['api']:.0f}",
            f"{summary['paused']['rps']['bare']:.0f}",
            f"{summary['paused']['ratio']:.2f}",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="offered requests/s, all patients together")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the open loop")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--history-days", type=int, default=42, help="days of diary each patient has already")
    parser.add_argument("--clients", type=int, default=8, help="closed-loop clients")
    parser.add_argument("--rounds", type=int, default=10, help="closed-loop rounds per endpoint")
    parser.add_argument("--round-seconds", type=float, default=5.0)
    args = parser.parse_args()
    exit_on_sigterm()
    result = measure(
        patients=args.patients,
        rate=args.rate,
        seconds=args.seconds,
        workers=args.workers,
        history_days=args.history_days,
        clients=args.clients,
        rounds=args.rounds,
        round_seconds=args.round_seconds,
    )
    report(result, summarise(result))


if __name__ == "__main__":
    main()
