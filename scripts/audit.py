"""Audits the installed Python packages and the PWA's lock file for known vulnerabilities (see
docs/decisions/0021-dependency-audit.md): one not accepted in audit-ignore.toml fails the run."""

import argparse
import json
import re
import socket
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "frontend" / "package-lock.json"
SNAPSHOT = ROOT / "scripts" / "audit-snapshot.json"
IGNORE = ROOT / "audit-ignore.toml"
OSV_URL = "https://api.osv.dev/v1"
PYPI_URL = "https://pypi.org/pypi"
# A source that does not take a TCP connection in this long is taken for absent, so a machine without
# a network loses seconds, not a minute of time-outs.
PROBE_SECONDS = 3.0
REQUEST_SECONDS = 20.0
# OSV's documented limit for one querybatch request.
OSV_BATCH = 1000
REFRESH_HINT = ".venv/bin/python scripts/audit.py --refresh"


@dataclass(frozen=True, order=True)
class Package:
    ecosystem: str  # "PyPI" or "npm", as OSV names them
    name: str
    version: str
    dev: bool = False  # npm only: used to build and test the PWA, not shipped in its bundle

    @property
    def key(self) -> str:
        return f"{self.ecosystem}/{self.name}@{self.version}"

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.ecosystem}{', dev' if self.dev else ''})"


@dataclass(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    fixed_in: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        return {self.id, *self.aliases}

    def as_json(self) -> dict:
        aliases, fixed_in = list(self.aliases), list(self.fixed_in)
        return {"id": self.id, "aliases": aliases, "summary": self.summary, "fixed_in": fixed_in}

    @classmethod
    def from_json(cls, data: dict) -> "Advisory":
        return cls(
            id=data["id"],
            aliases=tuple(data.get("aliases") or ()),
            summary=data.get("summary") or "",
            fixed_in=tuple(data.get("fixed_in") or ()),
        )


@dataclass(frozen=True)
class Acceptance:
    """An entry of audit-ignore.toml: a known vulnerability accepted for a reason until a review date."""

    id: str
    package: str
    reason: str
    review_by: date

    def covers(self, package: Package, advisory: Advisory) -> bool:
        return canonical(package.ecosystem, self.package) == canonical(package.ecosystem, package.name) and (
            self.id in advisory.names
        )


@dataclass
class Finding:
    package: Package
    advisory: Advisory
    acceptance: Acceptance | None = None
    expired: bool = False


@dataclass
class Verdict:
    findings: list[Finding] = field(default_factory=list)
    checked_live: int = 0
    checked_in_snapshot: int = 0
    unchecked: list[Package] = field(default_factory=list)

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.acceptance is None or f.expired]


class Unreachable(Exception):
    """The source gave no usable answer: no network, a refused method, a time-out, an unreadable reply."""


class BadIgnoreFile(Exception):
    pass


def canonical(ecosystem: str, name: str) -> str:
    return canonical_name(name) if ecosystem == "PyPI" else name


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Inventory -------------------------------------------------------------------------------------------


def python_packages() -> list[Package]:
    """Every distribution installed in the environment of the Python running this, less the project."""
    own = canonical_name(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"])
    found: dict[str, Package] = {}
    for dist in metadata.distributions():
        name = canonical_name(dist.metadata["Name"] or "")
        if name and name != own:
            found.setdefault(name, Package("PyPI", name, dist.version))
    return sorted(found.values())


def npm_packages(lock: Path) -> list[Package]:
    """Every package the lock file installs (lockfileVersion 2 or 3), each name and version once."""
    found: dict[tuple[str, str], Package] = {}
    for path, entry in json.loads(lock.read_text())["packages"].items():
        if not path or entry.get("link") or "version" not in entry:
            continue  # the PWA itself, a workspace link
        name = entry.get("name") or path.rsplit("node_modules/", 1)[-1]
        package = Package("npm", name, entry["version"], dev=bool(entry.get("dev")))
        # One copy needed at run time makes the version a run-time one.
        if (name, package.version) not in found or not package.dev:
            found[(name, package.version)] = package
    return sorted(found.values())


# Live sources ----------------------------------------------------------------------------------------


def answers(url: str) -> bool:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=PROBE_SECONDS):
            return True
    except OSError:
        return False


def fetch_json(url: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
        return json.load(response)


def advisory_from_osv(record: dict, package: Package) -> Advisory:
    fixed = []
    for affected in record.get("affected", []):
        named = affected.get("package", {})
        if named.get("ecosystem") != package.ecosystem or canonical(
            package.ecosystem, named.get("name", "")
        ) != canonical(package.ecosystem, package.name):
            continue
        for span in affected.get("ranges", []):
            fixed += [event["fixed"] for event in span.get("events", []) if "fixed" in event]
    return Advisory(
        id=record["id"],
        aliases=tuple(record.get("aliases") or ()),
        summary=first_line(record.get("summary") or record.get("details") or ""),
        fixed_in=tuple(dict.fromkeys(fixed)),
    )


def first_line(text: str, limit: int = 110) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def osv_advisories(packages: list[Package], base_url: str) -> dict[str, list[Advisory]]:
    """OSV's answer for every package at its exact version (querybatch gives ids; each record once)."""
    if not answers(base_url):
        raise Unreachable("no connection")
    batch_url = f"{base_url}/querybatch"
    try:
        ids: dict[str, list[str]] = {}
        for start in range(0, len(packages), OSV_BATCH):
            chunk = packages[start : start + OSV_BATCH]
            queries = [
                {"package": {"ecosystem": p.ecosystem, "name": p.name}, "version": p.version} for p in chunk
            ]
            results = fetch_json(batch_url, {"queries": queries})["results"]
            for package, query, result in zip(chunk, queries, results, strict=True):
                ids[package.key] = [v["id"] for v in result.get("vulns", [])]
                while token := result.get("next_page_token"):
                    more = {"queries": [{**query, "page_token": token}]}
                    result = fetch_json(batch_url, more)["results"][0]
                    ids[package.key] += [v["id"] for v in result.get("vulns", [])]
        distinct = {i for found in ids.values() for i in found}
        records = {i: fetch_json(f"{base_url}/vulns/{quote(i)}") for i in distinct}
    except (OSError, ValueError, KeyError, TypeError) as error:  # URLError and HTTPError are OSErrors
        raise Unreachable(describe(error)) from error
    return {
        p.key: [advisory_from_osv(records[i], p) for i in ids[p.key] if not records[i].get("withdrawn")]
        for p in packages
    }


def advisories_from_pypi_json(data: dict, version: str) -> list[Advisory] | None:
    """PyPI's project JSON lists the vulnerabilities of the latest release only: None for another version."""
    if data["info"]["version"] != version:
        return None
    return [
        Advisory(
            id=v["id"],
            aliases=tuple(v.get("aliases") or ()),
            summary=first_line(v.get("summary") or v.get("details") or ""),
            fixed_in=tuple(v.get("fixed_in") or ()),
        )
        for v in data.get("vulnerabilities", [])
        if not v.get("withdrawn")
    ]


def pypi_advisories(packages: list[Package], base_url: str) -> dict[str, list[Advisory]]:
    """PyPI's answer for the Python packages installed at their latest release; others are left out."""
    python = [p for p in packages if p.ecosystem == "PyPI"]
    if not python or not answers(base_url):
        raise Unreachable("no connection")

    def look_up(package: Package) -> tuple[Package, dict | None, Exception | None]:
        try:
            return package, fetch_json(f"{base_url}/{quote(package.name)}/json"), None
        except (OSError, ValueError) as error:
            return package, None, error

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(look_up, python))
    if all(error is not None for _, _, error in replies):
        raise Unreachable(describe(replies[0][2]))
    found = {}
    for package, data, _ in replies:
        try:
            advisories = advisories_from_pypi_json(data, package.version) if data else None
        except (KeyError, TypeError):
            advisories = None
        if advisories is not None:
            found[package.key] = advisories
    return found


def describe(error: Exception | None) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return f"{type(error).__name__}: {error}"


def live_advisories(packages: list[Package], osv_url: str, pypi_url: str) -> tuple[dict, str, str]:
    """Advisories by package key from the first source that answers, the source's name, and a line on it."""
    try:
        return osv_advisories(packages, osv_url), "OSV", f"OSV ({host(osv_url)}) answered"
    except Unreachable as error:
        osv_note = f"OSV ({host(osv_url)}) does not answer ({error})"
    try:
        found = pypi_advisories(packages, pypi_url)
    except Unreachable as error:
        return {}, "", f"{osv_note}; nor does PyPI's JSON API ({error}): no live check, the snapshot only"
    return (
        found,
        "PyPI JSON API, latest release",
        f"{osv_note}; PyPI's JSON API answered (it knows the latest release of each project only)",
    )


def host(url: str) -> str:
    return urlsplit(url).hostname or url


# Snapshot and ignore file ----------------------------------------------------------------------------


def read_snapshot(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text())["packages"] if path.exists() else {}


def write_snapshot(path: Path, packages: list[Package], found: dict, source: str, today: date) -> int:
    """Keeps the exact versions installed now: fresh answers replace old ones, others stay as they were."""
    old = read_snapshot(path)
    entries = {}
    for p in packages:
        if p.key in found:
            advisories = [a.as_json() for a in found[p.key]]
            entries[p.key] = {"checked": today.isoformat(), "source": source, "advisories": advisories}
        elif p.key in old:
            entries[p.key] = old[p.key]
    about = (
        "Known advisories for the exact versions installed when this was refreshed, for scripts/audit.py to "
        f"check against when no vulnerability source answers. Refresh: {REFRESH_HINT}"
    )
    # One line a package, so a refresh reads as a diff of the versions and advisories that changed.
    lines = [f"  {json.dumps(key)}: {json.dumps(entries[key])}" for key in sorted(entries)]
    head = f'{{\n "about": {json.dumps(about)},\n "packages": {{\n'
    path.write_text(head + ",\n".join(lines) + "\n }\n}\n")
    return sum(1 for p in packages if p.key in found)


def read_acceptances(path: Path) -> list[Acceptance]:
    if not path.exists():
        return []
    try:
        entries = tomllib.loads(path.read_text()).get("ignore", [])
    except tomllib.TOMLDecodeError as error:
        raise BadIgnoreFile(f"{path.name} is not valid TOML: {error}") from error
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BadIgnoreFile(f"{path.name}: each entry is an [[ignore]] table")
    accepted = []
    for number, entry in enumerate(entries, start=1):
        missing = [k for k in ("id", "package", "reason", "review_by") if not str(entry.get(k, "")).strip()]
        if missing:
            raise BadIgnoreFile(f"{path.name}, entry {number}: needs {', '.join(missing)}")
        if not isinstance(entry["review_by"], date):
            raise BadIgnoreFile(f"{path.name}, entry {number}: review_by must be a bare date: 2027-03-01")
        accepted.append(
            Acceptance(
                id=entry["id"],
                package=entry["package"],
                reason=entry["reason"].strip(),
                review_by=entry["review_by"],
            )
        )
    return accepted


# The verdict -----------------------------------------------------------------------------------------


def merged(advisories: list[Advisory]) -> list[Advisory]:
    """One advisory per vulnerability: sources list the same one under its PYSEC, GHSA and CVE ids."""
    kept: list[Advisory] = []
    for advisory in advisories:
        same = next((k for k in kept if k.names & advisory.names), None)
        if same is None:
            kept.append(advisory)
            continue
        kept[kept.index(same)] = Advisory(
            id=same.id,
            aliases=tuple(sorted((same.names | advisory.names) - {same.id})),
            summary=same.summary or advisory.summary,
            fixed_in=tuple(dict.fromkeys(same.fixed_in + advisory.fixed_in)),
        )
    return kept


def judge(
    packages: list[Package], live: dict, snapshot: dict, accepted: list[Acceptance], today: date
) -> Verdict:
    verdict = Verdict()
    for package in packages:
        if package.key in live:
            advisories = live[package.key]
            verdict.checked_live += 1
        elif package.key in snapshot:
            advisories = [Advisory.from_json(a) for a in snapshot[package.key]["advisories"]]
            verdict.checked_in_snapshot += 1
        else:
            verdict.unchecked.append(package)
            continue
        for advisory in merged(advisories):
            acceptance = next((a for a in accepted if a.covers(package, advisory)), None)
            expired = acceptance is not None and acceptance.review_by < today
            verdict.findings.append(Finding(package, advisory, acceptance, expired))
    return verdict


def some(packages: list[Package], most: int = 8) -> str:
    if len(packages) > most:
        return f"{len(packages)} packages"
    return ", ".join(f"{p.name} {p.version}" for p in packages)


def report(verdict: Verdict, live_note: str, snapshot: dict, packages: list[Package]) -> int:
    print(f"audit: {live_note}")
    dates = sorted({snapshot[p.key]["checked"] for p in packages if p.key in snapshot})
    dated = f" (refreshed {' to '.join(dict.fromkeys([dates[0], dates[-1]]))})" if dates else ""
    coverage = f"audit: checked live {verdict.checked_live}, in the snapshot{dated} "
    coverage += f"{verdict.checked_in_snapshot}, unchecked {len(verdict.unchecked)}"
    for ecosystem in ("PyPI", "npm"):
        missed = [p for p in verdict.unchecked if p.ecosystem == ecosystem]
        if missed:
            coverage += f"; {ecosystem}: {some(missed)}"
    print(coverage)
    for finding in verdict.findings:
        advisory, acceptance = finding.advisory, finding.acceptance
        also = f" ({', '.join(advisory.aliases)})" if advisory.aliases else ""
        fix = f"; fixed in {', '.join(advisory.fixed_in)}" if advisory.fixed_in else "; no fixed release"
        line = f"{finding.package}: {advisory.id}{also} {advisory.summary}{fix}"
        if acceptance is None:
            print(f"audit: VULNERABLE {line}")
        elif finding.expired:
            print(f"audit: VULNERABLE {line} [accepted until {acceptance.review_by}, now past: review it]")
        else:
            print(f"audit: accepted until {acceptance.review_by}: {line} [{acceptance.reason}]")
    failing = verdict.failing
    if failing:
        print(
            f"audit: {len(failing)} known vulnerabilit{'y' if len(failing) == 1 else 'ies'}: upgrade, or "
            "accept each in audit-ignore.toml with its id, the package, a reason and a review date"
        )
        return 1
    checked = verdict.checked_live + verdict.checked_in_snapshot
    print(f"audit: no known vulnerability open in the {checked} packages checked")
    return 0


def run(
    packages: list[Package],
    *,
    snapshot_path: Path,
    ignore_path: Path,
    osv_url: str,
    pypi_url: str,
    offline: bool,
    today: date,
) -> int:
    try:
        accepted = read_acceptances(ignore_path)
    except BadIgnoreFile as error:
        print(f"audit: {error}")
        return 1
    if offline:
        live, live_note = {}, "offline (--offline): the snapshot only"
    else:
        live, _, live_note = live_advisories(packages, osv_url, pypi_url)
    snapshot = read_snapshot(snapshot_path)
    return report(judge(packages, live, snapshot, accepted, today), live_note, snapshot, packages)


def refresh(packages: list[Package], *, snapshot_path: Path, osv_url: str, pypi_url: str, today: date) -> int:
    found, source, live_note = live_advisories(packages, osv_url, pypi_url)
    print(f"audit: {live_note}")
    if not found:
        print(f"audit: {snapshot_path.name} left as it was")
        return 1
    count = write_snapshot(snapshot_path, packages, found, source, today)
    print(f"audit: {snapshot_path.name}: {count} of {len(packages)} packages checked today, from {source}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--refresh", action="store_true", help="rewrite the snapshot from a live source")
    parser.add_argument("--offline", action="store_true", help="check against the snapshot only")
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--ignore", type=Path, default=IGNORE)
    parser.add_argument("--osv-url", default=OSV_URL)
    parser.add_argument("--pypi-url", default=PYPI_URL)
    args = parser.parse_args(argv)

    packages = python_packages() + (npm_packages(args.lock) if args.lock.exists() else [])
    npm_count = sum(1 for p in packages if p.ecosystem == "npm")
    lock_note = f"{npm_count} npm in {args.lock.name}" if args.lock.exists() else f"no {args.lock.name}"
    print(f"== Dependency audit: {len(packages) - npm_count} Python packages in {sys.prefix}, {lock_note}")
    urls = {"osv_url": args.osv_url.rstrip("/"), "pypi_url": args.pypi_url.rstrip("/")}
    if args.refresh:
        return refresh(packages, snapshot_path=args.snapshot, today=date.today(), **urls)
    return run(
        packages,
        snapshot_path=args.snapshot,
        ignore_path=args.ignore,
        offline=args.offline,
        today=date.today(),
        **urls,
    )


if __name__ == "__main__":
    sys.exit(main())
