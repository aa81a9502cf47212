"""What the rules read and what they say: plain dataclasses, no database (diary.selectors.facts fills
them)."""

from dataclasses import dataclass, field
from datetime import date, datetime

# --- Facts: what the rules read ---------------------------------------------------------------


@dataclass(frozen=True)
class CrampFact:
    started_at: datetime
    local_date: date
    night: date  # the night it belongs to (diary.nights.night_of)
    is_nocturnal: bool
    severity: int | None  # 0-10; None: not said
    activity: str | None  # sleeping | resting | sitting | standing | walking | exercising; None: not said
    relieved_by_rest: bool | None


@dataclass(frozen=True)
class CheckInFact:
    id: str
    recorded_at: datetime
    local_date: date
    # None: not answered, never read as 0 ("none") nor as any other level (docs/decisions/0022).
    swelling_left: int | None = None  # 0 none, 1 mild, 2 moderate, 3 severe
    swelling_right: int | None = None
    circumference_left_cm: float | None = None
    circumference_right_cm: float | None = None
    # "calf" | "ankle" | None (not said): only like is compared with like (docs/decisions/0038).
    circumference_site_left: str | None = None
    circumference_site_right: str | None = None
    heaviness: int | None = None  # 0-10
    aching: int | None = None  # 0-10
    visible_veins: bool = False
    skin_changes: bool = False
    calf_pain_or_tenderness: bool = False
    sudden_onset: bool = False
    redness_or_warmth: bool = False
    sudden_chest_pain_or_breathlessness: bool = False
    cramps_last_night: str | None = None  # "none" | "some" | None (not said); about night local_date - 1
    # The zone it was logged in (docs/decisions/0037); None: the patient's (facts built without one).
    timezone: str | None = None


@dataclass(frozen=True)
class ClaudicationFact:
    answered_at: datetime
    result: str  # "negative" | "atypical" | "definite" (Edinburgh Claudication Questionnaire)
    grade: int | None = None


@dataclass(frozen=True)
class MedicationFact:
    """A medicine on the patient's list: a span of local dates."""

    name: str
    drug_class: str  # diary.models.DrugClass: diuretic, beta_agonist, ..., magnesium, quinine, other
    started_on: date
    stopped_on: date | None = None  # None: still taken

    def taken_on(self, day: date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


@dataclass(frozen=True)
class FactorFact:
    """One of the patient's own tags ("coffee") and the local days it was logged in the look-back."""

    name: str
    days: frozenset[date] = frozenset()
    # The first local day the tag could be tapped: the day it was made, or its first entry when earlier
    # (entries typed in afterwards). A day before it is not a day "without" the tag, it is unknown.
    since: date | None = None  # None: the whole window


@dataclass(frozen=True)
class PatientFacts:
    """A patient's recent diary as plain data. Windows are in the patient's local dates."""

    today: date
    now: datetime
    fluid_target_ml: int = 2000
    # None: not said on the profile, read as unknown: it neither fires nor silences a rule (decision 0030).
    # The selector always passes the profile's own value; the defaults serve builders in tests.
    takes_diuretics: bool | None = False
    previous_dvt: bool | None = False
    cramps: list[CrampFact] = field(default_factory=list)
    checkins: list[CheckInFact] = field(default_factory=list)
    # Known-fluid days only: a day with no drink logged is absent, not zero.
    fluid_ml_by_day: dict[date, int] = field(default_factory=dict)
    # Hours of compression worn per local day (a wear counts on the day it was put on); absent = none.
    compression_hours_by_day: dict[date, float] = field(default_factory=dict)
    claudication: ClaudicationFact | None = None  # the latest answered questionnaire
    # The patient's whole medication list (short, and "none listed" matters to medication_review).
    medications: list[MedicationFact] = field(default_factory=list)
    # The tags logged in the look-back, each with its days; a tag not logged then is absent.
    factors: list[FactorFact] = field(default_factory=list)
    # The patient's IANA zone: the dates an explanation names are the patient's, never UTC's.
    timezone: str = "UTC"


# --- What a rule says --------------------------------------------------------------------------


@dataclass(frozen=True)
class Insight:
    code: str
    level: str  # info | advice | urgent
    title: str
    explanation: str
    evidence: dict
    first_seen: datetime | None
    last_seen: datetime | None

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "level": self.level,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


# Most urgent first: the order of evaluate() and of the clinician's list.
LEVEL_RANK = {"info": 1, "advice": 2, "urgent": 3}
