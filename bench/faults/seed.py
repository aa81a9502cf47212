"""Run by bench/faults/stack.py in a subprocess: patients with knox tokens, and what the spec asks."""

# Usage: python -m bench.faults.seed SPEC.json OUT.json. The spec is {"patients": [{"email", "timezone",
# "push": {endpoint, keys: {p256dh, auth}} (optional), "reminder_at": ISO time or null (optional)}],
# "history_days": N, "summaries": bool}; the output lists each patient's id, email, token and reminder id.

import json
import sys
from datetime import datetime
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from diary.models import PatientSummary, PushSubscription, Reminder, Role, User  # noqa: E402


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    # One unusable password for all: the patients sign in with their tokens, and hashing hundreds of
    # passwords would be most of the set-up.
    password = make_password(None)
    users = [
        User(
            email=patient["email"],
            password=password,
            role=Role.PATIENT,
            timezone=patient.get("timezone", "Europe/Berlin"),
        )
        for patient in spec["patients"]
    ]
    User.objects.bulk_create(users, batch_size=1000)

    if spec.get("history_days"):
        # Imported here: bench.trends sets Django up again on import, harmlessly, and only this needs it.
        from bench.trends import dense_diary

        for number, user in enumerate(users):
            dense_diary(user, days=spec["history_days"], seed=number)

    if spec.get("summaries"):
        # Every patient has a summary after the first nightly refresh; a fresh one means the patient's
        # next write queues a refresh task, as in production.
        now = timezone.now()
        PatientSummary.objects.bulk_create(
            [PatientSummary(patient=user, stale=False, computed_at=now) for user in users]
        )

    out = []
    for user, patient in zip(users, spec["patients"], strict=True):
        _token, key = AuthToken.objects.create(user=user)
        row = {"id": str(user.pk), "email": user.email, "token": key, "reminder": None}
        push = patient.get("push")
        if push:
            PushSubscription.objects.create(
                patient=user,
                endpoint=push["endpoint"],
                p256dh=push["keys"]["p256dh"],
                auth=push["keys"]["auth"],
            )
        if "reminder_at" in patient:
            fire_at = patient["reminder_at"]
            reminder = Reminder.objects.create(
                patient=user,
                kind="stretch",
                local_time=clock(21, 0),
                weekdays=list(range(7)),
                channels=["push"],
                # Set directly, not from local_time: the run decides when each one falls due.
                next_fire_at=datetime.fromisoformat(fire_at) if fire_at else None,
            )
            row["reminder"] = str(reminder.pk)
        out.append(row)
    Path(sys.argv[2]).write_text(json.dumps({"patients": out}))


if __name__ == "__main__":
    main()
