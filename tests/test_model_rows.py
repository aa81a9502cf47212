"""selectors.rows.model_rows: the facts' reads by hand-written SQL give what the ORM's values() gives, on
either database (SQLite hands back booleans as integers and times as text, which the converters undo)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from diary.models import CheckIn, CrampEpisode, User
from diary.selectors.facts import CHECKIN_FIELDS, CRAMP_FIELDS
from diary.selectors.rows import model_rows
from diary.services.records import record_create

pytestmark = [pytest.mark.django_db, pytest.mark.dbsensitive]


def test_a_check_in_said_in_full_and_one_said_in_part_read_as_the_orm_reads_them(alice):
    now = timezone.now()
    record_create(
        model=CheckIn,
        patient=alice,
        data={
            "recorded_at": now - timedelta(hours=2),
            "swelling_left": 2,
            "swelling_right": 0,
            "circumference_left_cm": 38.5,
            "circumference_site_left": "calf",
            "calf_pain_or_tenderness": True,
            "sudden_onset": False,
            "cramps_last_night": "some",
        },
    )
    record_create(model=CheckIn, patient=alice, data={"recorded_at": now - timedelta(hours=1)})

    rows = model_rows(
        CheckIn,
        ("id", *CHECKIN_FIELDS),
        where="patient_id = %s",
        params=[User._meta.pk.get_db_prep_value(alice.pk, connection)],
    )

    expected = CheckIn.objects.filter(patient=alice).values_list("id", *CHECKIN_FIELDS)
    assert sorted(rows, key=str) == sorted(expected, key=str)
    assert any(value is True for row in rows for value in row)  # a boolean, not SQLite's 1
    assert any(value is None for row in rows for value in row)  # not said


def test_a_night_cramp_reads_as_the_orm_reads_it(alice):
    record_create(
        model=CrampEpisode,
        patient=alice,
        data={"started_at": timezone.now() - timedelta(hours=20), "woke_from_sleep": True, "severity": 6},
    )

    rows = model_rows(
        CrampEpisode,
        CRAMP_FIELDS,
        where="patient_id = %s",
        params=[User._meta.pk.get_db_prep_value(alice.pk, connection)],
    )

    assert rows == list(CrampEpisode.objects.filter(patient=alice).values_list(*CRAMP_FIELDS))
    assert rows[0][CRAMP_FIELDS.index("is_nocturnal")] is True
