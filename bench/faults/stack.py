"""Throwaway PostgreSQL, Redis, gunicorn and Celery workers on loopback, for bench/load.py and the faults."""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from diary.push import generate_vapid_keys  # noqa: E402  (no Django set-up needed: it only makes keys)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The CPUs this process may use when it starts, before load.py pins itself to one of them.
ALL_CPUS = sorted(os.sched_getaffinity(0))
# Far from the machine's own PostgreSQL (5432) and Redis (6379), which are never touched: each stack
# takes the first free port from these up, so two runs side by side do not meet.
PG_BASE_PORT = 55432
REDIS_BASE_PORT = 56379
WEB_BASE_PORT = 58000
# Long enough for a cold Django import on a busy 2-core machine, short enough that a broken start fails.
START_TIMEOUT = 90


def exit_on_sigterm() -> None:
    """A SIGTERM unwinds like Ctrl-C, so every `with Stack(...)` block stops what it started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def run_and_report(title: str, run) -> bool:
    """Run one fault and print PASS or FAIL with its figures and findings; True when it passed."""
    started = time.monotonic()
    try:
        result = run()
    except Exception as exc:  # one fault's broken set-up must not hide the others' results
        result = {"passed": False, "summary": f"the run itself failed: {type(exc).__name__}: {exc}"}
    verdict = "PASS" if result["passed"] else "FAIL"
    print(f"{verdict}  {title} ({time.monotonic() - started:.0f} s): {result['summary']}")
    for finding in result.get("findings", []):
        print(f"      finding: {finding}")
    sys.stdout.flush()
    return result["passed"]


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port on 127.0.0.1 from {start}")


def pinned(command: list, cpus) -> list:
    """The command run on these CPUs (taskset); as it is when no CPUs are given."""
    if cpus is None or not shutil.which("taskset"):
        return [str(part) for part in command]
    return ["taskset", "-c", ",".join(str(cpu) for cpu in sorted(cpus)), *map(str, command)]


def http_request(
    method: str, url: str, *, body: str | None = None, token: str | None = None, timeout: float = 5
) -> tuple[int | None, str]:
    """(status, body) of one request, or (None, the error) when nothing answered."""
    request = urllib.request.Request(url, method=method, data=body.encode() if body is not None else None)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def http_get(url: str, timeout: float = 5) -> tuple[int | None, str]:
    return http_request("GET", url, timeout=timeout)


# --- CPU accounting from /proc -------------------------------------------------------------------


def _proc_stats() -> dict[int, tuple[int, float]]:
    """Every process's (parent, CPU seconds of itself and its reaped children)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # gone since the listing
        # The command name may hold spaces and parentheses: the fields start after the last ")".
        fields = text[text.rindex(")") + 2 :].split()
        # utime, stime, cutime, cstime: a child that exits and is reaped moves its time to its parent,
        # so a tree's total keeps counting the processes that came and went.
        stats[int(entry)] = (int(fields[1]), sum(int(value) for value in fields[11:15]) / CLOCK_TICKS)
    return stats


def tree_cpu_seconds(roots: list[int]) -> float:
    """CPU seconds used so far by these processes and all their descendants."""
    stats = _proc_stats()
    children: dict[int, list[int]] = {}
    for pid, (parent, _seconds) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1]
        todo += children.get(pid, [])
    return total


def children_of(pid: int) -> list[int]:
    return sorted(child for child, (parent, _seconds) in _proc_stats().items() if parent == pid)


# --- The stack -----------------------------------------------------------------------------------


class Stack:
    """PostgreSQL, Redis, gunicorn and Celery workers of its own, in one temporary folder. close() (or
    leaving the `with` block) stops every process it started and deletes the folder."""

    def __init__(self, name: str, *, settings: str = "config.settings.production", env: dict | None = None):
        self.name = name
        self.folder = Path(tempfile.mkdtemp(prefix=f"crampwise-{name}-"))
        self.folder.chmod(0o755)  # PostgreSQL runs as its own account and must reach its folder
        self.logs = self.folder / "logs"
        self.logs.mkdir()
        self.pg_dir = self.folder / "pg"
        self.settings = settings
        self.extra_env = dict(env or {})
        self.started: list[subprocess.Popen] = []
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg_port = self.redis_port = self.web_port = None
        self.pg_running = False
        self.vapid_private, self.vapid_public = generate_vapid_keys()
        self.secret_key = secrets.token_urlsafe(40)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- PostgreSQL ---

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/crampwise"

    def _as_postgres(self, command: list) -> list:
        # initdb and pg_ctl refuse to run as root: run them as the postgres account then.
        command = [str(part) for part in command]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _pg_ctl(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
        command = [PG_BIN / "pg_ctl", "-D", self.pg_dir / "data", *args]
        return subprocess.run(
            self._as_postgres(command), capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )

    def start_postgres(self) -> None:
        """A new cluster on the first call (trust auth, loopback only, no Unix socket); a restart after."""
        first = self.pg_port is None
        if first:
            self.pg_port = free_port(PG_BASE_PORT)
            self.pg_dir.mkdir()
            if os.geteuid() == 0:
                shutil.chown(self.pg_dir, "postgres", "postgres")
            initdb = [PG_BIN / "initdb", "-D", self.pg_dir / "data", "-U", "postgres", "--auth=trust"]
            initdb += ["-E", "UTF8", "--locale=C", "--no-sync"]
            done = subprocess.run(self._as_postgres(initdb), capture_output=True, text=True, timeout=120)
            if done.returncode:
                raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
            # Server settings are PostgreSQL's defaults (fsync and synchronous_commit on), as in production.
            with open(self.pg_dir / "data" / "postgresql.conf", "a") as conf:
                conf.write(
                    f"\nport = {self.pg_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                )
        done = self._pg_ctl("-l", str(self.pg_dir / "postgres.log"), "-w", "-t", "60", "start")
        if done.returncode:
            raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{self.pg_log()}")
        self.pg_running = True
        if first:
            with psycopg.connect(
                f"postgresql://postgres@127.0.0.1:{self.pg_port}/postgres", autocommit=True
            ) as connection:
                connection.execute("CREATE DATABASE crampwise")

    def stop_postgres(self, mode: str = "fast") -> None:
        """pg_ctl stop: "fast" is an orderly shutdown, "immediate" a crash (recovery from WAL at start)."""
        done = self._pg_ctl("-m", mode, "-w", "-t", "60", "stop")
        if done.returncode:
            raise RuntimeError(f"pg_ctl stop failed:\n{done.stdout}\n{done.stderr}")
        self.pg_running = False

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.pg_dir / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def pg_log(self) -> str:
        try:
            return (self.pg_dir / "postgres.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def delivery_states(self) -> dict:
        """Reminder deliveries by status, e.g. {"sent": 38, "pending": 2}."""
        return dict(self.sql("SELECT status, count(*) FROM diary_delivery GROUP BY status"))

    @staticmethod
    def phones_with_reminders(sink, count: int) -> list[dict]:
        """Seed spec: `count` patients, each with a browser subscribed to the sink and a reminder due."""
        return [
            {
                "email": f"phone{n}@faults.example.com",
                "push": sink.subscribe(f"phone{n}"),
                "reminder_at": None,
            }
            for n in range(count)
        ]

    # --- Redis ---

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def start_redis(self) -> None:
        """Redis as the README runs it (queued work and cache only); no persistence, so a restart is empty."""
        self.redis_port = self.redis_port or free_port(REDIS_BASE_PORT)
        command = ["redis-server", "--port", self.redis_port, "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", self.folder]
        self.start("redis", command)
        client = redis.Redis(port=self.redis_port, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline or self.processes["redis"].poll() is not None:
                    raise RuntimeError("redis-server did not start:\n" + self.read_log("redis")) from None
                time.sleep(0.1)

    # --- Processes ---

    def env(self, **extra: str) -> dict:
        """The environment of every app process: production settings, this stack's services."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings,
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The load clients talk to gunicorn directly: no proxy in front.
            "TRUSTED_PROXIES": "0",
            # No TLS proxy on loopback: without this every request would be redirected to https.
            "SECURE_SSL_REDIRECT": "false",
            "CRAMPWISE_VAR_DIR": str(self.folder / "var"),
            "VAPID_PRIVATE_KEY": self.vapid_private,
            "VAPID_PUBLIC_KEY": self.vapid_public,
            "VAPID_SUBJECT": "mailto:faults@crampwise.invalid",
            # The push service is a loopback sink in the orchestrating process.
            "PUSH_ALLOW_HTTP": "true",
            "PUSH_ENDPOINT_HOSTS": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DEBUG", None)  # production settings set DEBUG off whatever it says; do not suggest otherwise
        if self.pg_port:
            env["DATABASE_URL"] = self.dsn
        if self.redis_port:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        env.update(extra)
        return env

    def start(self, name: str, command: list, *, cpus=None) -> subprocess.Popen:
        """A process in its own process group (so that stopping it stops its children), logging to logs/."""
        with open(self.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                pinned(command, cpus),
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        self.processes[name] = process
        return process

    def read_log(self, name: str, tail: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""

    def wait_for_log(self, name: str, text: str, timeout: float = START_TIMEOUT, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while self.read_log(name, tail=10**7).count(text) < count:
            if time.monotonic() > deadline or self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} never said {text!r}:\n{self.read_log(name)}")
            time.sleep(0.1)

    @staticmethod
    def signal_group(process: subprocess.Popen, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)

    def kill(self, name: str) -> None:
        """SIGKILL to the process and its children, as a crash or the OOM killer would."""
        process = self.processes[name]
        self.signal_group(process, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self, process: subprocess.Popen, timeout: float = 20) -> None:
        if process.poll() is None:
            self.signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
                return
            except subprocess.TimeoutExpired:
                pass
        # Stragglers of the group (a Celery pool child, a gunicorn worker) go too, even if the leader left.
        self.signal_group(process, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)

    def manage(
        self, *args: str, check: bool = True, timeout: float = 300, **extra
    ) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
            )
        return done

    def migrate(self) -> None:
        self.manage("migrate", "--noinput", "-v", "0")

    def seed(self, spec: dict) -> dict:
        """bench/faults/seed.py in a subprocess: the patients, their tokens and whatever the spec asks for."""
        spec_path, out_path = self.folder / "seed-spec.json", self.folder / "seed-out.json"
        spec_path.write_text(json.dumps(spec))
        done = subprocess.run(
            [PYTHON, "-m", "bench.faults.seed", str(spec_path), str(out_path)],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"seeding failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        return json.loads(out_path.read_text())

    # --- gunicorn ---

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start_web(self, *, workers: int = 4, cpus=None) -> subprocess.Popen:
        """gunicorn as the Procfile runs it (sync workers), bound to loopback, its access log in logs/."""
        self.web_port = self.web_port or free_port(WEB_BASE_PORT)
        command = [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", workers]
        command += ["--bind", f"127.0.0.1:{self.web_port}", "--access-logfile", self.logs / "access.log"]
        command += ["--forwarded-allow-ips=127.0.0.1"]
        # gunicorn 25+ opens a control socket, by default in ~/.gunicorn: keep it in this stack's folder.
        command += ["--control-socket", self.folder / "gunicorn.ctl"]
        process = self.start("web", command, cpus=cpus)
        self.wait_for_log("web", "Booting worker with pid", count=workers)
        deadline = time.monotonic() + START_TIMEOUT
        while http_get(f"{self.base_url}/healthz", timeout=2)[0] != 200:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not answer /healthz:\n" + self.read_log("web"))
            time.sleep(0.2)
        return process

    def web_workers(self) -> list[int]:
        return children_of(self.processes["web"].pid)

    # --- Celery ---

    def start_worker(self, name: str = "worker", *, concurrency: int = 2, cpus=None) -> subprocess.Popen:
        """A Celery worker as the Procfile runs one (prefork), on this stack's Redis and database."""
        command = [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO"]
        command += [f"--concurrency={concurrency}", "-n", f"{name}-{os.getpid()}@%h"]
        # Gossip and mingle only slow the start here: each stack has one worker at a time.
        command += ["--without-mingle", "--without-gossip"]
        process = self.start(name, command, cpus=cpus)
        self.wait_for_log(name, "ready.")
        return process

    def start_beat(self) -> subprocess.Popen:
        """Celery beat as the Procfile runs it: the every-minute reminder tick, the half-minute refresh of
        the clinician summaries that writes marked stale."""
        (self.folder / "var").mkdir(exist_ok=True)  # its schedule file
        process = self.start("beat", [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"])
        self.wait_for_log("beat", "beat: Starting...")
        return process

    def dispatch(self, timeout: float = 120) -> subprocess.CompletedProcess:
        """One reminder dispatch tick, as beat's every-minute task runs it (manage.py dispatch_reminders)."""
        return self.manage("dispatch_reminders", check=False, timeout=timeout)

    # --- Clean-up ---

    def close(self) -> None:
        for process in reversed(self.started):
            self.stop(process)
        if self.pg_running or self.postmaster_pid():
            done = self._pg_ctl("-m", "fast", "-w", "-t", "30", "stop", timeout=60)
            if done.returncode and self.postmaster_pid():
                done = self._pg_ctl("-m", "immediate", "-w", "-t", "30", "stop", timeout=60)
            pid = self.postmaster_pid()
            if done.returncode and pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # ours: its backends follow it down
            self.pg_running = False
        if os.environ.get("KEEP_FAULT_FOLDERS"):
            print(f"  (kept {self.folder})")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)
