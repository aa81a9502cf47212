"""The clinician's patient list, a page of it and its total in one hand-written statement."""

import uuid
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from django.db import connection

from diary.models import PatientSummary, Role, User
from diary.selectors.rows import user_id_param
from diary.selectors.trends import _as_date, _as_moment

# Written as SQL, not the ORM's (selectors.clinician_patients, which the tests hold it to): compiling that
# queryset's six link subqueries and its alert count cost more than running them (bench/clinician_list.py).
# The page is chosen first, from the patients with their summaries and open alerts (a top-N sort, the total
# counted on the way), and only its rows look up the link they are read through: of the links the clinician
# reads through, ranked per patient as links_read_through orders them (their own first, then by clinic and
# age), the first, which the row shows and the access log names.
_PAGE_SQL = """
WITH my_clinics AS (
    SELECT clinic_id FROM diary_clinicmembership WHERE user_id = %(me)s
), readable AS (
    SELECT l.id, l.patient_id, l.clinic_id, l.clinic_reference, l.assigned_to_id, l.created_at
    FROM diary_carelink l
    WHERE l.clinician_id = %(me)s OR l.clinic_id IN (SELECT clinic_id FROM my_clinics)
), open_alerts AS (
    SELECT a.patient_id, COUNT(*) AS open
    FROM diary_urgentalert a
    WHERE a.reviewed_at IS NULL AND (
        a.clinician_id = %(me)s OR (
            a.clinic_id IN (SELECT clinic_id FROM my_clinics)
            AND EXISTS (
                SELECT 1 FROM diary_carelink c WHERE c.patient_id = a.patient_id AND c.clinic_id = a.clinic_id
            )
        )
    )
    GROUP BY a.patient_id
), page AS (
    SELECT u.id, u.email, u.display_name, u.timezone, u.date_of_birth,
           s.patient_id AS summary_of, s.highest_level, s.insight_codes, s.last_entry_at, s.cramp_nights_28d,
           s.compression_days_28d, s.stale, s.computed_at, s.level_rank, s.last_evidence_at,
           COALESCE(o.open, 0) AS open, COUNT(*) OVER () AS total
    FROM diary_user u
    LEFT JOIN diary_patientsummary s ON s.patient_id = u.id
    LEFT JOIN open_alerts o ON o.patient_id = u.id
    WHERE u.role = %(patient)s AND u.id IN (SELECT patient_id FROM readable){filters}
    ORDER BY CASE WHEN COALESCE(o.open, 0) > 0 THEN 0 ELSE 1 END, s.level_rank DESC NULLS LAST,
             s.last_evidence_at DESC NULLS LAST, s.last_entry_at DESC NULLS LAST, u.display_name, u.email
    LIMIT %(limit)s OFFSET %(offset)s
), links AS (
    SELECT r.id, r.patient_id, r.clinic_id, r.clinic_reference, r.assigned_to_id,
           ROW_NUMBER() OVER (
               PARTITION BY r.patient_id
               ORDER BY CASE WHEN r.clinic_id IS NULL THEN 0 ELSE 1 END, r.clinic_id, r.created_at
           ) AS place
    FROM readable r
    WHERE r.patient_id IN (SELECT id FROM page)
)
SELECT p.id, p.email, p.display_name, p.timezone, p.date_of_birth,
       p.summary_of, p.highest_level, p.insight_codes, p.last_entry_at, p.cramp_nights_28d,
       p.compression_days_28d, p.stale, p.computed_at,
       p.open, k.id, k.clinic_reference, k.clinic_id, c.name, k.assigned_to_id,
       COALESCE(NULLIF(m.display_name, ''), m.email),
       {seen},
       p.total
FROM page p
JOIN links k ON k.patient_id = p.id AND k.place = 1
LEFT JOIN diary_clinic c ON c.id = k.clinic_id
LEFT JOIN diary_user m ON m.id = k.assigned_to_id
ORDER BY CASE WHEN p.open > 0 THEN 0 ELSE 1 END, p.level_rank DESC NULLS LAST,
         p.last_evidence_at DESC NULLS LAST, p.last_entry_at DESC NULLS LAST, p.display_name, p.email"""

# Whether the clinician's access log has this read of the patient since a time (the list logs a patient once
# an hour): asked here, for the page's rows only, rather than in a statement of its own.
_SEEN = """EXISTS (
           SELECT 1 FROM diary_accesslogentry e
           WHERE e.patient_id = p.id AND e.clinician_id = %(me)s AND e.action = %(seen_action)s
             AND e.at >= %(seen_since)s
       )"""
_ASSIGNED_TO_ME = (
    " AND EXISTS (SELECT 1 FROM readable x WHERE x.patient_id = u.id AND x.assigned_to_id = %(me)s)"
)


@cache
def _page_sql(vendor: str, *, search: bool, assigned_to_me: bool, only: int, seen: bool) -> str:
    """The statement for one combination of filters, built once per process. The search is Django's own
    icontains on either database (UPPER(...::text) LIKE UPPER(...) on PostgreSQL, LIKE ... ESCAPE on
    SQLite); `only`: how many patient ids the page is limited to (0: none); `seen`: with the access-log
    question (else null)."""
    filters = ""
    if search:
        matches = connection.operators["icontains"] % "%(search)s"
        cast = connection.ops.lookup_cast("icontains", "CharField")
        name, email = cast % "u.display_name", cast % "u.email"
        filters += f" AND ({name} {matches} OR {email} {matches})"
    if assigned_to_me:
        filters += _ASSIGNED_TO_ME
    if only:
        filters += " AND u.id IN (" + ", ".join(f"%(only{index})s" for index in range(only)) + ")"
    return _PAGE_SQL.format(filters=filters, seen=_SEEN if seen else "NULL")


class PatientRow(NamedTuple):
    """One row of the list: what it shows, and what the view needs beside (is the summary outdated, the
    clinic the read goes through for the access log)."""

    id: uuid.UUID
    email: str
    display_name: str
    timezone: str
    date_of_birth: date | None
    has_summary: bool
    highest_level: str | None
    insight_codes: list | None
    last_entry_at: datetime | None
    cramp_nights_28d: int | None
    compression_days_28d: int | None
    stale: bool
    computed_at: datetime | None
    open_alerts: int
    link: uuid.UUID
    clinic_reference: str | None
    clinic: uuid.UUID | None
    clinic_name: str | None
    assigned_to: uuid.UUID | None
    assigned_to_name: str | None
    seen: bool | None  # an access-log row of the read asked about since the time asked; None: not asked


class PatientPage(NamedTuple):
    total: int | None  # None: the page was empty, so the statement could not tell (see patient_count)
    rows: list[PatientRow]


def _uuid(value) -> uuid.UUID | None:
    # PostgreSQL hands back a UUID, SQLite the 32 hex digits Django stores.
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(value)


def _row(values: tuple, insight_codes_field) -> PatientRow:
    (pk, email, name, zone, born, summary, level, codes, last_entry, nights, days, stale, computed, alerts,
     link, reference, clinic, clinic_name, assignee, assignee_name, seen, _total) = values  # fmt: skip
    has_summary = summary is not None
    return PatientRow(
        id=_uuid(pk),
        email=email,
        display_name=name,
        timezone=zone,
        date_of_birth=_as_date(born),
        has_summary=has_summary,
        highest_level=level,
        insight_codes=insight_codes_field.from_db_value(codes, None, connection) if has_summary else None,
        last_entry_at=_as_moment(last_entry),
        cramp_nights_28d=nights,
        compression_days_28d=days,
        stale=bool(stale),
        computed_at=_as_moment(computed),
        open_alerts=alerts,
        link=_uuid(link),
        clinic_reference=reference,
        clinic=_uuid(clinic),
        clinic_name=clinic_name,
        assigned_to=_uuid(assignee),
        assigned_to_name=assignee_name,
        seen=None if seen is None else bool(seen),
    )


def page_statement(
    *,
    clinician: User,
    limit: int,
    offset: int = 0,
    search: str = "",
    assigned_to_me: bool = False,
    only: list | None = None,
    seen: tuple[str, datetime] | None = None,
) -> tuple[str, dict]:
    """The SQL and parameters of patient_page."""
    params = {
        "me": user_id_param(clinician.pk),
        "patient": Role.PATIENT,
        "limit": limit,
        "offset": offset,
        "search": f"%{connection.ops.prep_for_like_query(search)}%",
    }
    if seen:
        params["seen_action"], since = seen
        params["seen_since"] = connection.ops.adapt_datetimefield_value(since)
    for index, patient_id in enumerate(only or []):
        params[f"only{index}"] = user_id_param(patient_id)
    sql = _page_sql(
        connection.vendor,
        search=bool(search),
        assigned_to_me=assigned_to_me,
        only=len(only or []),
        seen=seen is not None,
    )
    return sql, params


def patient_page(**filters) -> PatientPage:
    """A page of selectors.clinician_patients, the same rows in the same order, with the list's total, in
    one statement. Takes page_statement's arguments: the clinician, `limit` and `offset`, `search`,
    `assigned_to_me`; `only`: just these patients (the page again after their summaries were recomputed);
    `seen`: (action, since), to tell of each row whether the clinician's access log has that action on
    the patient since then."""
    with connection.cursor() as cursor:
        cursor.execute(*page_statement(**filters))
        found = cursor.fetchall()
    codes = PatientSummary._meta.get_field("insight_codes")
    return PatientPage(total=found[0][-1] if found else None, rows=[_row(values, codes) for values in found])


def patient_count(*, clinician: User, search: str = "", assigned_to_me: bool = False) -> int:
    """How many patients the list has: asked on its own only when a page came back empty."""
    first = patient_page(clinician=clinician, limit=1, search=search, assigned_to_me=assigned_to_me)
    return first.total or 0
