"""Demo people and a seeded, reproducible diary for each of them, dated back from the day it is loaded."""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from diary.models import (
    DIARY_MODELS,
    CareLink,
    CheckIn,
    Clinic,
    ClinicMembership,
    ClinicRole,
    CompressionWear,
    CrampEpisode,
    DiaryRecord,
    DrugClass,
    Elevation,
    Factor,
    FactorEntry,
    Hydration,
    Medication,
    Role,
    Schedule,
    User,
)
from diary.services.alerts import alerts_raise, urgent_codes
from diary.services.records import derive_fields, request_fingerprint
from diary.services.reminders import reminder_create

DEMO_SEED = 2026
DEMO_PASSWORD = "crampwise-demo"
# The API refuses entries from the future; the demo keeps a margin so that nothing looks freshly typed.
PAST_MARGIN = timedelta(minutes=10)
DRINK_SIZES_ML = (150, 200, 250, 250, 300, 330, 400)

Entry = tuple[type[DiaryRecord], dict]


def local_moment(*, day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The moment `minutes` after local midnight of `day` (negative: the evening before), in UTC."""
    # Wall-clock arithmetic on purpose: "23:15 the night before" stays 23:15 across a DST change.
    return (datetime.combine(day, time(0), tzinfo=zone) + timedelta(minutes=minutes)).astimezone(UTC)


def days_between(*, first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def night_cramps(
    *, rng: random.Random, day: date, zone: ZoneInfo, count: int, severities: tuple[int, int]
) -> list[Entry]:
    """Cramps in the night before the morning of `day`, between 23:00 and 05:30, mostly calf, waking her."""
    starts = sorted(rng.randint(-60, 330) for _ in range(count))
    for n in range(1, len(starts)):
        # Two cramps in a night are at least half an hour apart, or she would log one long one.
        starts[n] = max(starts[n], starts[n - 1] + 30)
    entries = []
    for minutes in starts:
        woke = rng.random() < 0.9
        entries.append(
            (
                CrampEpisode,
                {
                    "started_at": local_moment(day=day, minutes=minutes, zone=zone),
                    "duration_seconds": rng.randint(30, 420),
                    "severity": rng.randint(*severities),
                    "muscle": "calf" if rng.random() < 0.85 else "foot",
                    "side": rng.choice(("left", "left", "right", "both")),
                    "activity": "sleeping" if woke else "resting",
                    "woke_from_sleep": woke,
                    "relieved_by_rest": None,
                    "notes": rng.choice(("", "", "", "", "Stood on the cold floor until it let go.")),
                },
            )
        )
    return entries


def drinks(*, rng: random.Random, day: date, zone: ZoneInfo, count: int) -> list[Entry]:
    times = sorted(rng.randint(7 * 60 + 30, 21 * 60 + 30) for _ in range(count))
    return [
        (
            Hydration,
            {
                "taken_at": local_moment(day=day, minutes=minutes, zone=zone),
                "volume_ml": rng.choice(DRINK_SIZES_ML),
            },
        )
        for minutes in times
    ]


def morning_check_in(*, rng: random.Random, day: date, zone: ZoneInfo, cramps: bool, **fields) -> Entry:
    data = {
        "recorded_at": local_moment(day=day, minutes=rng.randint(6 * 60 + 45, 8 * 60 + 15), zone=zone),
        "cramps_last_night": "some" if cramps else "none",
        **fields,
    }
    return CheckIn, data


def alice_diary(*, rng: random.Random, today: date, zone: ZoneInfo) -> list[Entry]:
    """Night cramps most nights and evening swelling; about two months ago she started knee stockings
    (20-30 mmHg), and the cramps eased, though less so after the days she left them off."""
    stockings_from = today - timedelta(days=59)
    wore_today = False
    entries: list[Entry] = []
    cramps_by_morning: dict[date, int] = {}
    for day in days_between(first=today - timedelta(days=119), last=today):
        wore_yesterday = wore_today
        # Off one day in four, on a fixed rhythm so that every four weeks hold the same share of both.
        wore_today = day >= stockings_from and (day - stockings_from).days % 4 != 3
        if day <= stockings_from:
            count = (2 if rng.random() < 0.3 else 1) if rng.random() < 0.85 else 0
            severities = (4, 8)
        else:
            # A night after a day without stockings is as likely to bring a cramp as before she had them:
            # the compression_association insight has both kinds of day to compare.
            count = 1 if rng.random() < (0.15 if wore_yesterday else 0.85) else 0
            severities = (3, 6)
        cramps_by_morning[day] = count
        entries += night_cramps(rng=rng, day=day, zone=zone, count=count, severities=severities)
        entries.append(
            morning_check_in(
                rng=rng, day=day, zone=zone, cramps=count > 0, heaviness=rng.randint(0, 2), visible_veins=True
            )
        )
        if wore_today:
            put_on = local_moment(day=day, minutes=rng.randint(7 * 60 + 15, 8 * 60 + 45), zone=zone)
            entries.append(
                (
                    CompressionWear,
                    {
                        "started_at": put_on,
                        "ended_at": put_on + timedelta(minutes=rng.randint(8 * 60, 10 * 60)),
                        "pressure_class": "20-30",
                        "garment": "knee",
                        "legs": "both",
                    },
                )
            )
        entries += drinks(rng=rng, day=day, zone=zone, count=rng.randint(4, 8))
        if rng.random() < 0.45:
            entries.append(
                (
                    Elevation,
                    {
                        "started_at": local_moment(
                            day=day, minutes=rng.randint(17 * 60 + 30, 19 * 60 + 30), zone=zone
                        ),
                        "duration_minutes": rng.randint(15, 20),
                        "above_heart": rng.random() < 0.8,
                    },
                )
            )
        if wore_today:
            swelling = {
                "swelling_left": rng.choice((1, 1, 2)),
                "swelling_right": 1,
                "heaviness": rng.randint(3, 4),
            }
        else:
            swelling = {
                "swelling_left": rng.choice((1, 2, 2)),
                "swelling_right": rng.choice((1, 1, 2)),
                "heaviness": rng.randint(4, 6),
            }
        entries.append(
            (
                CheckIn,
                {
                    "recorded_at": local_moment(
                        day=day, minutes=rng.randint(20 * 60 + 30, 21 * 60 + 45), zone=zone
                    ),
                    **swelling,
                    "aching": rng.randint(2, 5),
                    "visible_veins": True,
                },
            )
        )
    # Her medicines and factors come last, from a stream of their own, so the diary above is as it was.
    extra = random.Random(f"alice-medicines-and-factors:{rng.getstate()[1][:4]}")
    return (
        entries
        + alice_medications(today=today, cramps_by_morning=cramps_by_morning)
        + alice_factors(rng=extra, today=today, zone=zone, cramps_by_morning=cramps_by_morning)
    )


def alice_medications(*, today: date, cramps_by_morning: dict[date, int]) -> list[Entry]:
    """Bendroflumethiazide for her blood pressure since some five weeks ago, begun on a day whose night
    brought a cramp (as medication_review words it), and magnesium when the cramps are bad."""
    around = [today - timedelta(days=n) for n in range(35, 42)]
    started = next((day for day in around if cramps_by_morning.get(day + timedelta(days=1))), around[0])
    return [
        (
            Medication,
            {
                "name": "Bendroflumethiazide",
                "drug_class": DrugClass.DIURETIC,
                "dose": "2.5 mg each morning",
                "schedule": Schedule.REGULAR,
                "started_on": started,
                "stopped_on": None,
                "notes": "For blood pressure (GP).",
            },
        ),
        (
            Medication,
            {
                "name": "Magnesium citrate",
                "drug_class": DrugClass.MAGNESIUM,
                "dose": "300 mg",
                "schedule": Schedule.AS_NEEDED,
                "started_on": today - timedelta(days=100),
                "stopped_on": None,
                "notes": "",
            },
        ),
    ]


# Alice's own tags, logged over the last eight weeks.
FACTOR_DAYS = 56


def alice_factors(
    *, rng: random.Random, today: date, zone: ZoneInfo, cramps_by_morning: dict[date, int]
) -> list[Entry]:
    """Coffee nearly every morning (too few days without it to compare), a long walk now and then, and
    long standing (her shop shifts) on a good third of the days, more often on days whose night brought
    a cramp: factor_association has both kinds of day to compare, and they differ."""
    entries: list[Entry] = []
    for day in days_between(first=today - timedelta(days=FACTOR_DAYS), last=today):
        cramp_night_after = cramps_by_morning.get(day + timedelta(days=1), 0) > 0
        for name, chance, (earliest, latest) in (
            ("Coffee", 0.95, (7 * 60 + 30, 10 * 60)),
            ("Long standing", 0.7 if cramp_night_after else 0.12, (16 * 60, 18 * 60 + 30)),
            ("A long walk", 0.2, (13 * 60, 17 * 60)),
        ):
            if rng.random() < chance:
                moment = local_moment(day=day, minutes=rng.randint(earliest, latest), zone=zone)
                entries.append((FactorEntry, {"factor_name": name, "occurred_at": moment, "notes": ""}))
    return entries


def grace_diary(*, rng: random.Random, today: date, zone: ZoneInfo) -> list[Entry]:
    """Calf cramps while walking or exercising, two or three a week, gone after a rest: a claudication
    pattern rather than a venous one."""
    first = today - timedelta(days=119)
    entries: list[Entry] = []
    for week in range(17):
        week_start = first + timedelta(weeks=week)
        for offset in sorted(rng.sample(range(7), rng.choice((2, 3)))):
            walking = rng.random() < 0.7
            entries.append(
                (
                    CrampEpisode,
                    {
                        "started_at": local_moment(
                            day=week_start + timedelta(days=offset),
                            minutes=rng.randint(9 * 60 + 30, 17 * 60 + 30),
                            zone=zone,
                        ),
                        "duration_seconds": rng.randint(60, 240),
                        "severity": rng.randint(4, 7),
                        "muscle": "calf",
                        "side": rng.choice(("left", "left", "left", "right", "both")),
                        "activity": "walking" if walking else "exercising",
                        "woke_from_sleep": False,
                        "relieved_by_rest": True,
                        "notes": rng.choice(
                            ("", "", "", "Had to stop on the hill; gone after two minutes standing.")
                        ),
                    },
                )
            )
    day = first + timedelta(days=rng.randint(0, 6))
    while day <= today:
        entries.append(morning_check_in(rng=rng, day=day, zone=zone, cramps=False, aching=rng.randint(1, 3)))
        day += timedelta(days=rng.randint(8, 12))
    for day in days_between(first=first, last=today):
        if rng.random() < 0.8:
            entries += drinks(rng=rng, day=day, zone=zone, count=rng.randint(3, 6))
    # No draw from the stream after this: her diary above stays as it was.
    return entries + grace_tender_calf(today=today, zone=zone)


def grace_tender_calf(*, today: date, zone: ZoneInfo) -> list[Entry]:
    """Three days ago a swollen, tender right calf that came on over a few days, measured at the calf on
    both legs: swollen_painful_leg (see a doctor within a day or two), not the urgent DVT warning."""
    return [
        (
            CheckIn,
            {
                "recorded_at": local_moment(day=today - timedelta(days=3), minutes=20 * 60 + 10, zone=zone),
                "swelling_left": 0,
                "swelling_right": 2,
                "circumference_left_cm": 35.4,
                "circumference_right_cm": 38.9,
                "circumference_site_left": "calf",
                "circumference_site_right": "calf",
                "aching": 4,
                "calf_pain_or_tenderness": True,
                "notes": "Right calf swollen and sore to touch for a few days now.",
            },
        )
    ]


def erin_diary(*, rng: random.Random, today: date, zone: ZoneInfo) -> list[Entry]:
    """Five ordinary weeks, then yesterday evening a suddenly swollen, painful, warm left calf."""
    yesterday = today - timedelta(days=1)
    entries: list[Entry] = []
    for day in days_between(first=today - timedelta(days=35), last=yesterday):
        count = 1 if rng.random() < 0.15 else 0
        entries += night_cramps(rng=rng, day=day, zone=zone, count=count, severities=(3, 5))
        if rng.random() < 0.85 or count:
            entries.append(morning_check_in(rng=rng, day=day, zone=zone, cramps=count > 0))
        entries += drinks(rng=rng, day=day, zone=zone, count=rng.randint(4, 7))
        if day.weekday() == 6 and day != yesterday:
            entries.append(
                (
                    CheckIn,
                    {
                        "recorded_at": local_moment(
                            day=day, minutes=rng.randint(19 * 60, 21 * 60), zone=zone
                        ),
                        "circumference_left_cm": round(rng.uniform(36.9, 37.5), 1),
                        "circumference_right_cm": round(rng.uniform(36.8, 37.3), 1),
                        "circumference_site_left": "calf",
                        "circumference_site_right": "calf",
                        "aching": rng.randint(0, 2),
                    },
                )
            )
    entries.append(
        (
            CheckIn,
            {
                "recorded_at": local_moment(day=yesterday, minutes=19 * 60 + 40, zone=zone),
                "swelling_left": 3,
                "swelling_right": 0,
                "circumference_left_cm": 41.5,
                "circumference_right_cm": 37.0,
                "circumference_site_left": "calf",
                "circumference_site_right": "calf",
                "aching": 6,
                "calf_pain_or_tenderness": True,
                "sudden_onset": True,
                "redness_or_warmth": True,
                "notes": "Left calf suddenly swollen, warm and sore since this afternoon.",
            },
        )
    )
    return entries


def ines_diary(*, rng: random.Random, today: date, zone: ZoneInfo) -> list[Entry]:
    """Four ordinary weeks with both ankles a little swollen in the evenings; nine days ago she woke short
    of breath (past the emergency's two days: chest_pain_follow_up), and yesterday both legs swelled up
    suddenly and hurt (both_legs_swollen: be seen soon)."""
    yesterday = today - timedelta(days=1)
    entries: list[Entry] = []
    for day in days_between(first=today - timedelta(days=27), last=today - timedelta(days=2)):
        count = 1 if rng.random() < 0.1 else 0
        entries += night_cramps(rng=rng, day=day, zone=zone, count=count, severities=(2, 4))
        entries.append(morning_check_in(rng=rng, day=day, zone=zone, cramps=count > 0))
        entries += drinks(rng=rng, day=day, zone=zone, count=rng.randint(4, 7))
        if rng.random() < 0.5:
            level = {"swelling_left": rng.randint(0, 1), "swelling_right": rng.randint(0, 1)}
            at = local_moment(day=day, minutes=rng.randint(20 * 60, 21 * 60 + 30), zone=zone)
            entries.append((CheckIn, {"recorded_at": at, **level, "heaviness": rng.randint(1, 3)}))
    entries.append(
        (
            CheckIn,
            {
                "recorded_at": local_moment(day=today - timedelta(days=9), minutes=2 * 60 + 40, zone=zone),
                "sudden_chest_pain_or_breathlessness": True,
                "notes": "Woke up short of breath; better after sitting up by the window.",
            },
        )
    )
    entries.append(
        (
            CheckIn,
            {
                "recorded_at": local_moment(day=yesterday, minutes=20 * 60 + 30, zone=zone),
                "swelling_left": 3,
                "swelling_right": 3,
                "sudden_onset": True,
                "calf_pain_or_tenderness": True,
                "heaviness": 7,
                "notes": "Both legs swelled up this afternoon, tight and sore.",
            },
        )
    )
    return entries


def carol_diary(*, rng: random.Random, today: date, zone: ZoneInfo) -> list[Entry]:
    """Three ordinary weeks: the odd night cramp, some check-ins, drinks, and one cramp quick-logged."""
    entries: list[Entry] = []
    for day in days_between(first=today - timedelta(days=20), last=today):
        count = 1 if rng.random() < 0.2 else 0
        entries += night_cramps(rng=rng, day=day, zone=zone, count=count, severities=(2, 5))
        if rng.random() < 0.7 or count:
            entries.append(morning_check_in(rng=rng, day=day, zone=zone, cramps=count > 0))
        entries += drinks(rng=rng, day=day, zone=zone, count=rng.randint(3, 6))
        if rng.random() < 0.3:
            entries.append(
                (
                    CheckIn,
                    {
                        "recorded_at": local_moment(
                            day=day, minutes=rng.randint(20 * 60, 22 * 60), zone=zone
                        ),
                        "swelling_left": rng.randint(0, 1),
                        "swelling_right": rng.randint(0, 1),
                        "heaviness": rng.randint(1, 3),
                    },
                )
            )
    # The two-tap cramp (Cramp, Save) of the night before last: its time, nothing else said.
    entries.append(
        (CrampEpisode, {"started_at": local_moment(day=today - timedelta(days=1), minutes=190, zone=zone)})
    )
    return entries


@dataclass(frozen=True)
class Person:
    email: str
    display_name: str
    role: str
    timezone: str
    diary: Callable[..., list[Entry]] | None = None
    profile: dict = field(default_factory=dict)
    # (kind, local time): by email in the demo, so `make run` shows them in the worker's log.
    reminders: tuple[tuple[str, time], ...] = ()


PEOPLE = (
    Person(
        email="alice@example.com",
        display_name="Alice Moreau",
        role=Role.PATIENT,
        timezone="Europe/Berlin",
        diary=alice_diary,
        profile={"compression_class": "20-30"},
        reminders=(
            ("compression_on", time(7, 30)),
            ("morning_checkin", time(8, 0)),
            ("hydration", time(10, 0)),
            ("elevation", time(11, 0)),
            ("hydration", time(13, 0)),
            ("elevation", time(15, 0)),
            ("hydration", time(16, 0)),
            ("elevation", time(19, 0)),
            ("evening_checkin", time(20, 0)),
            ("compression_off", time(21, 0)),
            ("stretch", time(22, 0)),
        ),
    ),
    Person(
        email="grace@example.com",
        display_name="Grace Okafor",
        role=Role.PATIENT,
        timezone="Europe/London",
        diary=grace_diary,
        reminders=(("morning_checkin", time(8, 30)), ("hydration", time(11, 0)), ("hydration", time(15, 0))),
    ),
    Person(
        email="erin@example.com",
        display_name="Erin Walsh",
        role=Role.PATIENT,
        timezone="America/New_York",
        diary=erin_diary,
    ),
    Person(
        email="ines@example.com",
        display_name="Ines Duarte",
        role=Role.PATIENT,
        timezone="Europe/Lisbon",
        diary=ines_diary,
    ),
    Person(
        email="carol@example.com",
        display_name="Carol Nguyen",
        role=Role.PATIENT,
        timezone="America/New_York",
        diary=carol_diary,
    ),
    Person(
        email="bob@example.com",
        display_name="Dr Bob Lindqvist",
        role=Role.CLINICIAN,
        timezone="Europe/Berlin",
    ),
    Person(
        email="dave@example.com", display_name="Dr Dave Patel", role=Role.CLINICIAN, timezone="Europe/London"
    ),
    # The role is the field's default, as createsuperuser leaves it; staff status is what the admin needs.
    Person(
        email="admin@example.com",
        display_name="Crampwise Admin",
        role=Role.PATIENT,
        timezone="UTC",
        profile={"is_staff": True, "is_superuser": True},
    ),
)
DEMO_EMAILS = tuple(person.email for person in PEOPLE)
# (patient, clinician): who shares with whom.
CARE_LINKS = (
    ("alice@example.com", "bob@example.com"),
    ("grace@example.com", "bob@example.com"),
    ("erin@example.com", "bob@example.com"),
    ("ines@example.com", "bob@example.com"),
)
# (clinic, clinician, role): each demo clinician is the admin of a clinic of their own, so both can redeem
# share codes with CLINICIANS_MUST_BELONG_TO_A_CLINIC on; dave's clinic has no patients, so he stays the
# clinician nobody shared with. The demo's links stay with bob himself.
CLINIC_MEMBERS = (
    ("Demo Vein Clinic", "bob@example.com", ClinicRole.ADMIN),
    ("Other Vein Clinic", "dave@example.com", ClinicRole.ADMIN),
)


@dataclass
class LoadResult:
    created: list[str]
    kept: list[str]
    # Per patient email: record counts per model.
    counts: dict[str, dict[type[DiaryRecord], int]]


def person_create(*, person: Person, now: datetime) -> User:
    user = User(
        email=person.email,
        role=person.role,
        display_name=person.display_name,
        timezone=person.timezone,
        # The demo's people use the app already: their logins land on Today, not on the first-run questions.
        onboarded_at=now,
        **person.profile,
    )
    # set_password, not the validators: the demo password is meant to be easy to type.
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def diary_create(*, patient: User, entries: list[Entry], rng: random.Random, now: datetime) -> None:
    """Store the entries that are at least PAST_MARGIN old, with the fields record_create would derive."""
    cutoff = now - PAST_MARGIN
    by_model: dict[type[DiaryRecord], list[DiaryRecord]] = {model: [] for model in DIARY_MODELS}
    factors: dict[str, Factor] = {}
    for model, data in entries:
        # Drawn for every entry, kept or not, so the ids do not depend on the time of day.
        record_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        moment = data[model.TIME_FIELD]
        # A medication is dated by its local start, which is past; every other entry by an instant.
        if isinstance(moment, datetime) and moment > cutoff:
            continue
        if "factor_name" in data:  # the patient's tag by name, made the first time it is named
            data = dict(data)
            name = data.pop("factor_name")
            if name not in factors:
                factor_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                factors[name] = Factor.objects.create(pk=factor_id, patient=patient, name=name)
            data["factor_id"] = factors[name].pk
        if data.get("ended_at") and data["ended_at"] > cutoff:
            data = {**data, "ended_at": None}  # still being worn
        # Logged where the patient lives, unless the entry says it was lived in another zone (a trip).
        record = model(
            pk=record_id,
            patient=patient,
            create_fingerprint=request_fingerprint(data),
            **{"timezone": patient.timezone, **data},
        )
        derive_fields(record, patient)
        by_model[model].append(record)
    for model, records in by_model.items():
        model.objects.bulk_create(records, batch_size=500)


def alerts_tell(*, patient: User, now: datetime) -> None:
    """The demo's recent urgent check-ins tell the linked clinicians, as they would have when logged
    (the diary is stored in bulk, past the path that raises alerts)."""
    recent = CheckIn.objects.filter(patient=patient, recorded_at__gte=now - timedelta(days=7))
    for checkin in recent.order_by("recorded_at"):
        alerts_raise(checkin=checkin, patient=patient, codes=urgent_codes(checkin, patient=patient))


@transaction.atomic
def load_demo(
    *, now: datetime, seed: int = DEMO_SEED, reset: bool = False, if_empty: bool = False
) -> LoadResult | None:
    """Create the demo people who are missing, with their diaries; people already there are left as they are.

    With reset, the demo people (and, by cascade, everything of theirs) are deleted first. With if_empty,
    nothing happens (None) when the database has any user at all.
    """
    if if_empty and User.objects.exists():
        return None
    if reset:
        User.objects.filter(email__in=DEMO_EMAILS).delete()  # emails are stored lower-case
    users: dict[str, User] = {}
    created, kept = [], []
    for person in PEOPLE:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is not None:
            kept.append(person.email)
        else:
            user = person_create(person=person, now=now)
            created.append(person.email)
            if person.diary is not None:
                # One stream per person: loading only the missing ones gives each the same diary.
                rng = random.Random(f"{seed}:{person.email}")
                today = now.astimezone(user.zone).date()
                entries = person.diary(rng=rng, today=today, zone=user.zone)
                diary_create(patient=user, entries=entries, rng=rng, now=now)
            for kind, local_time in person.reminders:
                reminder_create(
                    patient=user, data={"kind": kind, "local_time": local_time, "channels": ["email"]}
                )
        users[person.email] = user
    for patient_email, clinician_email in CARE_LINKS:
        # Only for someone new: a link an existing patient revoked stays revoked.
        if patient_email in created or clinician_email in created:
            CareLink.objects.get_or_create(patient=users[patient_email], clinician=users[clinician_email])
    for clinic_name, clinician_email, role in CLINIC_MEMBERS:
        if clinician_email in created:
            # By name: a reset deletes the people, and with them the memberships, not the clinic.
            clinic = Clinic.objects.filter(name=clinic_name).order_by("created_at").first()
            clinic = clinic or Clinic.objects.create(name=clinic_name)
            ClinicMembership.objects.get_or_create(
                clinic=clinic, user=users[clinician_email], defaults={"role": role}
            )
    for email in created:
        if users[email].role == Role.PATIENT:
            alerts_tell(patient=users[email], now=now)
    counts = {
        person.email: {
            model: model.objects.filter(patient=users[person.email]).count() for model in DIARY_MODELS
        }
        for person in PEOPLE
        if person.role == Role.PATIENT and person.diary is not None
    }
    return LoadResult(created=created, kept=kept, counts=counts)
