"""The client side: diary entries as the PWA sends them, and writers that retry with the same id."""

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp

# Each collection the writers post to, and its table, for counting what the server stored.
TABLES = {
    "cramps": "diary_crampepisode",
    "checkins": "diary_checkin",
    "hydration": "diary_hydration",
    "elevations": "diary_elevation",
    "compression": "diary_compressionwear",
}


def _ago(rng: random.Random, most_minutes: float) -> str:
    # In the past (the API refuses a future time), with an offset, as the PWA writes it.
    return (datetime.now(UTC) - timedelta(minutes=rng.uniform(1, most_minutes))).isoformat()


def cramp(rng: random.Random) -> dict:
    asleep = rng.random() < 0.6
    return {
        "started_at": _ago(rng, 600),
        "duration_seconds": rng.randint(20, 900),
        "severity": rng.randint(2, 10),
        "muscle": rng.choice(("calf", "calf", "calf", "foot", "thigh")),
        "side": rng.choice(("left", "right", "both")),
        "activity": "sleeping" if asleep else rng.choice(("resting", "sitting", "walking")),
        "woke_from_sleep": asleep,
    }


def checkin(rng: random.Random) -> dict:
    return {
        "recorded_at": _ago(rng, 30),
        "swelling_left": rng.randint(0, 2),
        "swelling_right": rng.randint(0, 2),
        "heaviness": rng.randint(0, 8),
        "aching": rng.randint(0, 6),
        "circumference_left_cm": round(rng.uniform(35, 41), 1),
        "circumference_right_cm": round(rng.uniform(35, 41), 1),
        "cramps_last_night": rng.choice(("none", "some", None)),
        "restless_legs": rng.random() < 0.2,
    }


def hydration(rng: random.Random) -> dict:
    return {"taken_at": _ago(rng, 60), "volume_ml": rng.choice((150, 200, 250, 330, 500))}


def elevation(rng: random.Random) -> dict:
    return {"started_at": _ago(rng, 120), "duration_minutes": rng.choice((10, 15, 20, 30))}


def compression(rng: random.Random) -> dict:
    return {"started_at": _ago(rng, 240), "pressure_class": "20-30", "garment": "knee", "legs": "both"}


ENTRIES = {
    "cramps": cramp,
    "checkins": checkin,
    "hydration": hydration,
    "elevations": elevation,
    "compression": compression,
}


def entry(kind: str, rng: random.Random) -> tuple[str, str]:
    """(id, JSON body) of a new entry with a client-chosen id, as the offline-first PWA makes one."""
    # uuid4 from the OS, not from rng: a seeded rng would repeat the ids of the seeded history.
    record_id = str(uuid.uuid4())
    return record_id, json.dumps({"id": record_id, **ENTRIES[kind](rng)})


def headers(token: str) -> dict:
    return {"Authorization": f"Token {token}", "Content-Type": "application/json"}


@dataclass
class Ledger:
    """What the writers sent and what the server acknowledged, by (collection, id)."""

    sent: set = field(default_factory=set)
    acked: dict = field(default_factory=dict)  # (collection, id) -> the status of the 2xx
    gave_up: set = field(default_factory=set)
    rejected: dict = field(default_factory=dict)  # a 4xx other than 429: a retry would not change it
    failures: Counter = field(default_factory=Counter)  # each failed attempt, by status or error
    retried: Counter = field(default_factory=Counter)  # entries that needed a retry, by their final 2xx
    attempts: int = 0
    first_failure: float | None = None
    last_failure: float | None = None

    def fail(self, reason: str) -> None:
        now = time.monotonic()
        self.failures[reason] += 1
        self.first_failure = self.first_failure or now
        self.last_failure = now


async def post_until_stored(
    session: aiohttp.ClientSession,
    url: str,
    token: str,
    key: tuple,
    body: str,
    ledger: Ledger,
    give_up_after: float,
) -> None:
    """POST one entry; after a dropped connection, a timeout or a 5xx, the same body again (same id)."""
    ledger.sent.add(key)
    deadline = time.monotonic() + give_up_after
    attempt = 0
    while True:
        attempt += 1
        ledger.attempts += 1
        status, reason = None, ""
        try:
            async with session.post(url, data=body, headers=headers(token)) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            reason = type(exc).__name__
        if status in (200, 201):
            ledger.acked[key] = status
            if attempt > 1:
                ledger.retried[status] += 1
            return
        ledger.fail(reason or str(status))
        if status is not None and 400 <= status < 500 and status != 429:
            ledger.rejected[key] = status
            return
        if time.monotonic() > deadline:
            ledger.gave_up.add(key)
            return
        # Back off as a phone would, a little longer after each failure.
        await asyncio.sleep(min(2.0, 0.1 * attempt))


async def run_writers(
    base_url: str,
    patients: list[dict],
    *,
    clients: int,
    seconds: float,
    pause: float,
    kinds=("cramps", "checkins"),
    give_up_after: float = 90,
    seed: int = 1,
) -> Ledger:
    """`clients` writers, each posting new entries one after another (a pause between) for `seconds`;
    an entry being retried when the time is up is still seen through (or given up after give_up_after)."""
    ledger = Ledger()
    rng = random.Random(seed)
    until = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:

        async def writer(number: int) -> None:
            turn = number
            while time.monotonic() < until:
                patient = patients[turn % len(patients)]
                kind = kinds[turn % len(kinds)]
                turn += clients
                record_id, body = entry(kind, rng)
                url = f"{base_url}/api/v1/{kind}/"
                await post_until_stored(
                    session, url, patient["token"], (kind, record_id), body, ledger, give_up_after
                )
                await asyncio.sleep(pause)

        await asyncio.gather(*(writer(number) for number in range(clients)))
    return ledger


def stored_keys(stack, kinds) -> tuple[set, int]:
    """(collection, id) of every stored row of these collections, and the row count (to see doubles)."""
    keys, rows = set(), 0
    for kind in kinds:
        ids = [str(row[0]) for row in stack.sql(f"SELECT id FROM {TABLES[kind]}")]
        rows += len(ids)
        keys |= {(kind, record_id) for record_id in ids}
    return keys, rows


def reconcile(ledger: Ledger, stored: set, rows: int) -> dict:
    """Nothing lost (every acknowledged entry stored), nothing doubled or invented (every row one the
    clients sent, once)."""
    acked = set(ledger.acked)
    return {
        "sent": len(ledger.sent),
        "acked": len(acked),
        "stored": rows,
        "lost": len(acked - stored),
        "invented": len(stored - ledger.sent),
        "doubled": rows - len(stored),
        "stored_unacked": len(stored - acked),
        "gave_up": len(ledger.gave_up),
        "rejected": dict(Counter(ledger.rejected.values())),
        "attempts": ledger.attempts,
        "failed_attempts": dict(ledger.failures),
        "retried_then_201": ledger.retried.get(201, 0),
        "retried_then_200": ledger.retried.get(200, 0),
    }
