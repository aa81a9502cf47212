"""The dependency audit (scripts/audit.py): a known vulnerability fails it, one accepted with a reason
passes until its review date, and with no source reachable it still checks the repo's snapshot."""

import copy
import importlib.util
import json
import socket
import subprocess
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
sys.modules["audit"] = audit
_spec.loader.exec_module(audit)

TODAY = date(2026, 12, 2)
PYCRYPTO = audit.Package("PyPI", "pycrypto", "2.6.1")

# Recorded from PyPI's JSON API (/pypi/pycrypto/json) on 2026-12-02, trimmed to the fields the audit
# reads: 2.6.1 is pycrypto's latest release, and PyPI lists each of its two CVEs twice (PYSEC and GHSA).
PYCRYPTO_JSON = {
    "info": {"name": "pycrypto", "version": "2.6.1"},
    "vulnerabilities": [
        {
            "aliases": ["CVE-2013-7459", "GHSA-cq27-v7xp-c356"],
            "details": "Heap-based buffer overflow in the ALGnew function in block_templace.c in Python "
            "Cryptography Toolkit (aka pycrypto) allows remote attackers to execute arbitrary code as "
            "demonstrated by a crafted iv parameter to cryptmsg.py.",
            "fixed_in": [],
            "id": "PYSEC-2017-94",
            "link": "https://osv.dev/vulnerability/PYSEC-2017-94",
            "source": "osv",
            "summary": None,
            "withdrawn": None,
        },
        {
            "aliases": ["CVE-2018-6594", "GHSA-6528-wvf6-f6qg"],
            "details": "lib/Crypto/PublicKey/ElGamal.py in PyCrypto through 2.6.1 generates weak ElGamal key "
            "parameters, which allows attackers to obtain sensitive information by reading ciphertext data.",
            "fixed_in": [],
            "id": "PYSEC-2018-97",
            "link": "https://osv.dev/vulnerability/PYSEC-2018-97",
            "source": "osv",
            "summary": None,
            "withdrawn": None,
        },
        {
            "aliases": ["CVE-2018-6594", "PYSEC-2018-97"],
            "details": "lib/Crypto/PublicKey/ElGamal.py in PyCrypto through 2.6.1 generates weak ElGamal key "
            "parameters, which allows attackers to obtain sensitive information by reading ciphertext data.",
            "fixed_in": [],
            "id": "GHSA-6528-wvf6-f6qg",
            "link": "https://osv.dev/vulnerability/GHSA-6528-wvf6-f6qg",
            "source": "osv",
            "summary": None,
            "withdrawn": None,
        },
        {
            "aliases": ["CVE-2013-7459", "PYSEC-2017-94"],
            "details": "Heap-based buffer overflow in the ALGnew function in block_templace.c in Python "
            "Cryptography Toolkit (aka pycrypto) allows remote attackers to execute arbitrary code as "
            "demonstrated by a crafted iv parameter to cryptmsg.py.",
            "fixed_in": [],
            "id": "GHSA-cq27-v7xp-c356",
            "link": "https://osv.dev/vulnerability/GHSA-cq27-v7xp-c356",
            "source": "osv",
            "summary": None,
            "withdrawn": None,
        },
    ],
}

ACCEPT_BOTH = """
[[ignore]]
id = "CVE-2013-7459"
package = "PyCrypto"
reason = "Only its hashing is imported, never the block ciphers."
review_by = 2027-03-01

[[ignore]]
id = "GHSA-6528-wvf6-f6qg"
package = "pycrypto"
reason = "ElGamal is never used."
review_by = 2027-03-01
"""


@pytest.fixture
def nowhere() -> str:
    """A URL on this machine where nothing listens: a source that truly cannot be reached."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def snapshot_with_pycrypto(tmp_path) -> Path:
    path = tmp_path / "snapshot.json"
    found = {PYCRYPTO.key: audit.advisories_from_pypi_json(PYCRYPTO_JSON, "2.6.1")}
    audit.write_snapshot(path, [PYCRYPTO], found, "PyPI JSON API, latest release", date(2026, 11, 30))
    return path


def run_audit(tmp_path, nowhere, snapshot: Path, ignore: str = "", today: date = TODAY, packages=None) -> int:
    ignore_path = tmp_path / "ignore.toml"
    ignore_path.write_text(ignore)
    return audit.run(
        packages or [PYCRYPTO],
        snapshot_path=snapshot,
        ignore_path=ignore_path,
        osv_url=f"{nowhere}/v1",
        pypi_url=f"{nowhere}/pypi",
        offline=False,
        today=today,
    )


def test_a_vulnerability_in_the_snapshot_fails_the_audit_when_no_source_answers(
    tmp_path, nowhere, snapshot_with_pycrypto, capsys
):
    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto) == 1

    out = capsys.readouterr().out
    unreachable = [line for line in out.splitlines() if "does not answer" in line]
    assert len(unreachable) == 1
    assert "no live check, the snapshot only" in unreachable[0]
    assert "in the snapshot (refreshed 2026-11-30) 1" in out
    assert "VULNERABLE pycrypto 2.6.1 (PyPI): PYSEC-2017-94 (CVE-2013-7459, GHSA-cq27-v7xp-c356)" in out
    # The PYSEC and GHSA entries of one CVE are one vulnerability.
    assert "2 known vulnerabilities" in out


def test_an_accepted_vulnerability_with_a_reason_and_a_review_date_passes(
    tmp_path, nowhere, snapshot_with_pycrypto, capsys
):
    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto, ACCEPT_BOTH) == 0

    out = capsys.readouterr().out
    assert "VULNERABLE" not in out
    assert "accepted until 2027-03-01: pycrypto 2.6.1 (PyPI): PYSEC-2018-97" in out
    assert "[ElGamal is never used.]" in out


def test_an_acceptance_holds_on_its_review_date_and_fails_the_day_after(
    tmp_path, nowhere, snapshot_with_pycrypto, capsys
):
    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto, ACCEPT_BOTH, today=date(2027, 3, 1)) == 0
    capsys.readouterr()

    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto, ACCEPT_BOTH, today=date(2027, 3, 2)) == 1
    assert "[accepted until 2027-03-01, now past: review it]" in capsys.readouterr().out


def test_an_acceptance_covers_its_own_package_only(tmp_path, nowhere, snapshot_with_pycrypto, capsys):
    elsewhere = ACCEPT_BOTH.replace('package = "pycrypto"', 'package = "pycryptodome"')

    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto, elsewhere) == 1
    assert "1 known vulnerability:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('id = "CVE-2013-7459"\npackage = "pycrypto"\nreview_by = 2027-03-01', "entry 1: needs reason"),
        ('id = "CVE-2013-7459"\npackage = "pycrypto"\nreason = " "\nreview_by = 2027-03-01', "needs reason"),
        ('id = "CVE-2013-7459"\npackage = "pycrypto"\nreason = "Unused."', "entry 1: needs review_by"),
        (
            'id = "CVE-2013-7459"\npackage = "pycrypto"\nreason = "Unused."\nreview_by = "2027-03-01"',
            "review_by must be a bare date",
        ),
    ],
)
def test_it_refuses_an_acceptance_without_a_reason_or_a_review_date(
    tmp_path, nowhere, snapshot_with_pycrypto, capsys, entry, complaint
):
    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto, f"[[ignore]]\n{entry}\n") == 1
    assert complaint in capsys.readouterr().out


def test_it_refuses_an_ignore_file_that_is_not_a_list_of_tables(
    tmp_path, nowhere, snapshot_with_pycrypto, capsys
):
    assert run_audit(tmp_path, nowhere, snapshot_with_pycrypto, 'ignore = "CVE-2013-7459"\n') == 1
    assert "each entry is an [[ignore]] table" in capsys.readouterr().out


def test_with_no_source_and_nothing_in_the_snapshot_it_passes_and_names_what_went_unchecked(
    tmp_path, nowhere, capsys
):
    assert run_audit(tmp_path, nowhere, tmp_path / "no-snapshot.json") == 0

    out = capsys.readouterr().out
    assert "checked live 0, in the snapshot 0, unchecked 1; PyPI: pycrypto 2.6.1" in out


def test_a_vulnerability_a_live_source_reports_fails_the_audit():
    live = {PYCRYPTO.key: audit.advisories_from_pypi_json(PYCRYPTO_JSON, "2.6.1")}

    verdict = audit.judge([PYCRYPTO], live, {}, [], TODAY)

    assert verdict.checked_live == 1
    assert [f.advisory.id for f in verdict.failing] == ["PYSEC-2017-94", "PYSEC-2018-97"]


def test_the_script_runs_offline_on_this_environment_and_the_lock_file():
    command = [sys.executable, str(ROOT / "scripts" / "audit.py"), "--offline"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)

    lines = result.stdout.splitlines()
    assert result.returncode in (0, 1), result.stderr
    assert lines[0].startswith("== Dependency audit: ") and " npm in package-lock.json" in lines[0]
    assert lines[1] == "audit: offline (--offline): the snapshot only"
    assert lines[2].startswith("audit: checked live 0, in the snapshot")


def test_a_live_answer_outweighs_the_snapshot():
    snapshot = {PYCRYPTO.key: {"checked": "2026-11-30", "advisories": [{"id": "PYSEC-2017-94"}]}}

    verdict = audit.judge([PYCRYPTO], {PYCRYPTO.key: []}, snapshot, [], TODAY)

    assert (verdict.checked_live, verdict.checked_in_snapshot, verdict.findings) == (1, 0, [])


def test_pypis_json_speaks_for_the_latest_release_only():
    ids = [a.id for a in audit.advisories_from_pypi_json(PYCRYPTO_JSON, "2.6.1")]
    assert ids == ["PYSEC-2017-94", "PYSEC-2018-97", "GHSA-6528-wvf6-f6qg", "GHSA-cq27-v7xp-c356"]

    assert audit.advisories_from_pypi_json(PYCRYPTO_JSON, "2.6") is None


def test_a_withdrawn_advisory_does_not_count():
    withdrawn = copy.deepcopy(PYCRYPTO_JSON)
    withdrawn["vulnerabilities"][0]["withdrawn"] = "2026-01-01T00:00:00Z"

    ids = [a.id for a in audit.advisories_from_pypi_json(withdrawn, "2.6.1")]
    assert "PYSEC-2017-94" not in ids
    assert len(ids) == 3


def test_an_osv_record_gives_the_fixed_releases_of_the_package_asked_about():
    # An OSV record in the schema's shape (ossf.github.io/osv-schema): one advisory naming two packages.
    record = {
        "id": "GHSA-0000-1111-2222",
        "aliases": ["CVE-2026-0001"],
        "summary": "SQL injection in a lookup",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "Django"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "5.2"}, {"fixed": "5.2.20"}]}],
            },
            {
                "package": {"ecosystem": "PyPI", "name": "django-other"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9.9"}]}],
            },
        ],
    }

    advisory = audit.advisory_from_osv(record, audit.Package("PyPI", "django", "5.2.19"))

    assert advisory == audit.Advisory(
        "GHSA-0000-1111-2222", ("CVE-2026-0001",), "SQL injection in a lookup", ("5.2.20",)
    )


def test_the_lock_file_gives_each_installed_package_once(tmp_path):
    lock = tmp_path / "package-lock.json"
    packages = {
        "": {"name": "crampwise-frontend", "version": "0.1.0"},
        "node_modules/preact": {"version": "11.2.0"},
        "node_modules/vite": {"version": "8.3.8", "dev": True},
        "node_modules/vite/node_modules/preact": {"version": "10.0.0", "dev": True},
        "node_modules/other/node_modules/preact": {"version": "11.2.0", "dev": True},
        "node_modules/@scope/thing": {"version": "1.0.0"},
        "node_modules/alias": {"name": "real-name", "version": "2.0.0"},
        "node_modules/linked": {"resolved": "../elsewhere", "link": True},
    }
    lock.write_text(json.dumps({"lockfileVersion": 3, "packages": packages}))

    assert audit.npm_packages(lock) == [
        audit.Package("npm", "@scope/thing", "1.0.0"),
        audit.Package("npm", "preact", "10.0.0", dev=True),
        audit.Package("npm", "preact", "11.2.0"),
        audit.Package("npm", "real-name", "2.0.0"),
        audit.Package("npm", "vite", "8.3.8", dev=True),
    ]


def test_the_python_inventory_is_this_environment_less_the_project_itself():
    packages = audit.python_packages()

    assert audit.Package("PyPI", "django", metadata.version("django")) in packages
    assert audit.Package("PyPI", "pytest-django", metadata.version("pytest-django")) in packages
    assert not [p for p in packages if p.name == "crampwise"]


def test_a_refresh_keeps_what_the_source_did_not_answer_and_drops_versions_gone(tmp_path):
    path = tmp_path / "snapshot.json"
    old_django = audit.Package("PyPI", "django", "5.2.18")
    django = audit.Package("PyPI", "django", "5.2.19")
    audit.write_snapshot(path, [PYCRYPTO, old_django], {PYCRYPTO.key: [], old_django.key: []}, "OSV", TODAY)

    answered = audit.write_snapshot(path, [PYCRYPTO, django], {django.key: []}, "OSV", date(2026, 12, 9))

    entries = audit.read_snapshot(path)
    assert answered == 1
    assert sorted(entries) == [django.key, PYCRYPTO.key]
    assert entries[PYCRYPTO.key]["checked"] == "2026-12-02"
    assert entries[django.key]["checked"] == "2026-12-09"


def test_the_repos_ignore_file_and_snapshot_are_well_formed():
    for acceptance in audit.read_acceptances(audit.IGNORE):
        assert acceptance.reason
    for key, entry in audit.read_snapshot(audit.SNAPSHOT).items():
        assert key.split("/", 1)[0] in ("PyPI", "npm")
        date.fromisoformat(entry["checked"])
        [audit.Advisory.from_json(a) for a in entry["advisories"]]
