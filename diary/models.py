"""The diary's tables: people, the five kinds of diary record, clinics, sharing links and the access log."""

import uuid
from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext as _

from diary.emergency import emergency_number
from diary.nights import is_known_timezone

DEFAULT_NIGHT_START = time(22, 0)
DEFAULT_NIGHT_END = time(7, 0)
DEFAULT_FLUID_TARGET_ML = 2000
NOTES_MAX_LENGTH = 2000


def validate_timezone(value: str) -> None:
    if not is_known_timezone(value):
        raise ValidationError(
            _("%(zone)s is not a known IANA time zone, such as Europe/Berlin.") % {"zone": repr(value)}
        )


class Role(models.TextChoices):
    PATIENT = "patient"
    CLINICIAN = "clinician"


class PressureClass(models.TextChoices):
    CLASS_15_20 = "15-20", "15–20 mmHg"
    CLASS_20_30 = "20-30", "20–30 mmHg"
    CLASS_30_40 = "30-40", "30–40 mmHg"
    CLASS_40_50 = "40-50", "40–50 mmHg"


class Theme(models.TextChoices):
    """The screen colours: not clinical, so unlike the night window it never moves a record."""

    AUTO = "auto", "Automatic (dark at night)"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class Language(models.TextChoices):
    """The language everything shown or sent to the person is in (settings.LANGUAGES; diary/locale)."""

    ENGLISH = "en", "English"
    GERMAN = "de", "Deutsch"
    SPANISH = "es", "Español"


def push_and_email() -> list[str]:
    return ["push", "email"]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A patient or a clinician; signs in with an email address. The profile lives on the same row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    display_name = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    night_start = models.TimeField(default=DEFAULT_NIGHT_START)
    night_end = models.TimeField(default=DEFAULT_NIGHT_END)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    fluid_target_ml = models.PositiveIntegerField(
        default=DEFAULT_FLUID_TARGET_ML, validators=[MinValueValidator(500), MaxValueValidator(6000)]
    )
    compression_class = models.CharField(max_length=8, choices=PressureClass.choices, null=True, blank=True)
    # null: not said (a default is not an answer); the rules read null as unknown (docs/decisions/0030).
    takes_diuretics = models.BooleanField(null=True, blank=True)
    previous_dvt = models.BooleanField(null=True, blank=True)
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.AUTO)
    # Set at sign-up from the language asked for, else the browser's (Accept-Language); not clinical.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    # ISO 3166-1 alpha-2, for the emergency number; null: not said (the app then spells out 112 and 911).
    country = models.CharField(max_length=2, null=True, blank=True)
    # Optional, so that a clinician can tell two patients of the same name apart.
    date_of_birth = models.DateField(null=True, blank=True)
    # A clinician's own choice of how an urgent alert reaches them: push, email or both, never neither
    # (services.alerts; a patient's row keeps the default and never uses it).
    alert_channels = models.JSONField(default=push_and_email)
    # Two-factor sign-in (TOTP, RFC 6238): the shared secret, whether it is confirmed, and the last
    # time step used, so that a code cannot be replayed.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=now)
    # When the patient finished or skipped the first-run questions; null: the PWA shows them. Accounts made
    # outside the sign-up (staff, the demo, scripts) count as onboarded: someone filled them in already;
    # services.accounts.user_register starts a patient who signs up at null (docs/decisions/0030).
    onboarded_at = models.DateTimeField(null=True, blank=True, default=now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(fluid_target_ml__gte=500, fluid_target_ml__lte=6000),
                name="user_fluid_target_range",
            ),
            models.CheckConstraint(
                condition=Q(compression_class__isnull=True) | Q(compression_class__in=PressureClass.values),
                name="user_compression_class_valid",
            ),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="user_quiet_hours_both_or_neither",
            ),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="user_theme_valid"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="user_language_valid"),
            models.CheckConstraint(
                condition=Q(country__isnull=True) | Q(country__regex=r"^[A-Z]{2}$"), name="user_country_upper"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def emergency_number(self) -> str | None:
        return emergency_number(self.country)

    @property
    def name(self) -> str:
        return self.display_name or self.email

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN


class LoginSession(models.Model):
    """A session a user signed in with, so that deleting the account can end every one of them."""

    session_key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    created_at = models.DateTimeField(auto_now_add=True)


# --- Diary records -----------------------------------------------------------------------------


def between(field: str, low: int, high: int, *, nullable: bool = False) -> Q:
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return condition | Q(**{f"{field}__isnull": True}) if nullable else condition


class DiaryRecord(models.Model):
    """What every diary record shares: a client-chosen UUID, its patient, its zone and derived local dates.

    `create_fingerprint` is a digest of the request that created the row, so that a replayed
    offline create can be recognised even after the record was edited (services.records).
    """

    TIME_FIELD = "started_at"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The zone the record was lived in (the phone's at entry, else the profile's then): its local date,
    # night and nocturnal flag derive from it and stay when the profile moves (docs/decisions/0037).
    timezone = models.CharField(
        max_length=64, validators=[validate_timezone], help_text="The IANA zone the record was logged in."
    )
    local_date = models.DateField(editable=False, help_text="The local date of the entry, in its zone.")
    create_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def moment(self):
        return getattr(self, self.TIME_FIELD)


class Muscle(models.TextChoices):
    CALF = "calf"
    FOOT = "foot"
    THIGH = "thigh"
    SHIN = "shin"
    OTHER = "other"


class Side(models.TextChoices):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Activity(models.TextChoices):
    SLEEPING = "sleeping"
    RESTING = "resting"
    SITTING = "sitting"
    STANDING = "standing"
    WALKING = "walking"
    EXERCISING = "exercising"


class CrampEpisode(DiaryRecord):
    started_at = models.DateTimeField()
    # Null is "not said": a quick-logged cramp carries only its time (docs/decisions/0022-not-said.md).
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3600)]
    )
    severity = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    muscle = models.CharField(max_length=8, choices=Muscle.choices, null=True, blank=True)
    side = models.CharField(max_length=8, choices=Side.choices, null=True, blank=True)
    activity = models.CharField(max_length=12, choices=Activity.choices, null=True, blank=True)
    woke_from_sleep = models.BooleanField(default=False)
    relieved_by_rest = models.BooleanField(null=True, blank=True)
    notes = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)
    night = models.DateField(editable=False)
    is_nocturnal = models.BooleanField(editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["patient", "started_at"], name="cramp_patient_time"),
            models.Index(fields=["patient", "night"], name="cramp_patient_night"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=between("duration_seconds", 1, 3600, nullable=True), name="cramp_duration_range"
            ),
            models.CheckConstraint(
                condition=between("severity", 0, 10, nullable=True), name="cramp_severity_range"
            ),
            models.CheckConstraint(
                condition=Q(muscle__isnull=True) | Q(muscle__in=Muscle.values), name="cramp_muscle_valid"
            ),
            models.CheckConstraint(
                condition=Q(side__isnull=True) | Q(side__in=Side.values), name="cramp_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=True) | Q(activity__in=Activity.values),
                name="cramp_activity_valid",
            ),
        ]


class Garment(models.TextChoices):
    KNEE = "knee"
    THIGH = "thigh"
    PANTYHOSE = "pantyhose"


class CompressionWear(DiaryRecord):
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty while worn.")
    pressure_class = models.CharField(max_length=8, choices=PressureClass.choices)
    garment = models.CharField(max_length=12, choices=Garment.choices)
    legs = models.CharField(max_length=8, choices=Side.choices)

    class Meta:
        indexes = [models.Index(fields=["patient", "started_at"], name="compression_patient_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="compression_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(pressure_class__in=PressureClass.values), name="compression_class_valid"
            ),
            models.CheckConstraint(condition=Q(garment__in=Garment.values), name="compression_garment_valid"),
            models.CheckConstraint(condition=Q(legs__in=Side.values), name="compression_legs_valid"),
        ]


class Elevation(DiaryRecord):
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    above_heart = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["patient", "started_at"], name="elevation_patient_time")]
        constraints = [
            models.CheckConstraint(
                condition=between("duration_minutes", 1, 240), name="elevation_minutes_range"
            ),
        ]


class Hydration(DiaryRecord):
    TIME_FIELD = "taken_at"

    taken_at = models.DateTimeField()
    volume_ml = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3000)])

    class Meta:
        indexes = [models.Index(fields=["patient", "taken_at"], name="hydration_patient_time")]
        constraints = [
            models.CheckConstraint(condition=between("volume_ml", 1, 3000), name="hydration_volume_range"),
        ]


class CrampsLastNight(models.TextChoices):
    NONE = "none"
    SOME = "some"


class CircumferenceSite(models.TextChoices):
    """Where a leg's circumference was measured: only like with like is compared (docs/decisions/0038)."""

    CALF = "calf"
    ANKLE = "ankle"


def score(maximum: int):
    return [MinValueValidator(0), MaxValueValidator(maximum)]


class CheckIn(DiaryRecord):
    TIME_FIELD = "recorded_at"

    recorded_at = models.DateTimeField()
    # Null is "not answered": a slider the patient did not touch (docs/decisions/0022-not-said.md).
    swelling_left = models.PositiveSmallIntegerField(null=True, blank=True, validators=score(3))
    swelling_right = models.PositiveSmallIntegerField(null=True, blank=True, validators=score(3))
    circumference_left_cm = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(80)]
    )
    circumference_right_cm = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(80)]
    )
    # Null: not said. Never defaulted: a measurement without its site is compared with nothing.
    circumference_site_left = models.CharField(
        max_length=5, choices=CircumferenceSite.choices, null=True, blank=True
    )
    circumference_site_right = models.CharField(
        max_length=5, choices=CircumferenceSite.choices, null=True, blank=True
    )
    heaviness = models.PositiveSmallIntegerField(null=True, blank=True, validators=score(10))
    aching = models.PositiveSmallIntegerField(null=True, blank=True, validators=score(10))
    itching = models.PositiveSmallIntegerField(null=True, blank=True, validators=score(10))
    restless_legs = models.BooleanField(default=False)
    visible_veins = models.BooleanField(default=False)
    skin_changes = models.BooleanField(default=False)
    calf_pain_or_tenderness = models.BooleanField(default=False)
    sudden_onset = models.BooleanField(default=False)
    redness_or_warmth = models.BooleanField(default=False)
    sudden_chest_pain_or_breathlessness = models.BooleanField(default=False)
    cramps_last_night = models.CharField(max_length=8, choices=CrampsLastNight.choices, null=True, blank=True)
    notes = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "recorded_at"], name="checkin_patient_time")]
        constraints = [
            models.CheckConstraint(
                condition=between("swelling_left", 0, 3, nullable=True), name="checkin_swelling_left_range"
            ),
            models.CheckConstraint(
                condition=between("swelling_right", 0, 3, nullable=True), name="checkin_swelling_right_range"
            ),
            models.CheckConstraint(
                condition=between("circumference_left_cm", 10, 80, nullable=True),
                name="checkin_circumference_left_range",
            ),
            models.CheckConstraint(
                condition=between("circumference_right_cm", 10, 80, nullable=True),
                name="checkin_circumference_right_range",
            ),
            models.CheckConstraint(
                condition=between("heaviness", 0, 10, nullable=True), name="checkin_heaviness_range"
            ),
            models.CheckConstraint(
                condition=between("aching", 0, 10, nullable=True), name="checkin_aching_range"
            ),
            models.CheckConstraint(
                condition=between("itching", 0, 10, nullable=True), name="checkin_itching_range"
            ),
            models.CheckConstraint(
                condition=Q(cramps_last_night__isnull=True) | Q(cramps_last_night__in=CrampsLastNight.values),
                name="checkin_cramps_last_night_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"circumference_site_{side}__isnull": True})
                    | Q(**{f"circumference_site_{side}__in": CircumferenceSite.values}),
                    name=f"checkin_circumference_site_{side}_valid",
                )
                for side in ("left", "right")
            ),
        ]


class DrugClass(models.TextChoices):
    """A short curated list: the classes that predispose to cramps, the two taken for them, and other."""

    DIURETIC = "diuretic"
    BETA_AGONIST = "beta_agonist"  # long-acting beta-agonists (inhalers)
    CALCIUM_CHANNEL_BLOCKER = "calcium_channel_blocker"  # e.g. nifedipine
    STATIN = "statin"
    MAGNESIUM = "magnesium"
    QUININE = "quinine"
    OTHER = "other"


class Schedule(models.TextChoices):
    REGULAR = "regular"
    AS_NEEDED = "as_needed"


class Medication(DiaryRecord):
    """A medicine the patient takes or took: a span of local dates, not a moment."""

    TIME_FIELD = "started_on"

    name = models.CharField(max_length=120)
    drug_class = models.CharField(max_length=24, choices=DrugClass.choices)
    dose = models.CharField(max_length=120, blank=True)
    schedule = models.CharField(max_length=12, choices=Schedule.choices)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True, help_text="Empty while still taken.")
    notes = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "started_on"], name="medication_patient_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=models.F("started_on")),
                name="medication_stops_after_start",
            ),
            models.CheckConstraint(
                condition=Q(drug_class__in=DrugClass.values), name="medication_drug_class_valid"
            ),
            models.CheckConstraint(
                condition=Q(schedule__in=Schedule.values), name="medication_schedule_valid"
            ),
        ]


FACTOR_NAME_MAX_LENGTH = 40


class Factor(models.Model):
    """One of the patient's own one-tap tags ("coffee", "a long walk"). Names are unique per patient,
    whatever their case, so "Coffee" and "coffee" are one tag."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=FACTOR_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "patient", name="factor_name_unique_per_patient"),
            models.CheckConstraint(condition=~Q(name=""), name="factor_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class FactorEntry(DiaryRecord):
    """One tap of a factor: the patient had coffee, stood long, walked far, at this time."""

    TIME_FIELD = "occurred_at"

    # RESTRICT: deleting a tag must not silently delete the diary entries that carry it (the API asks,
    # services.factors deletes both); unlike PROTECT it lets the patient's erasure, which cascades to
    # both the tag and its entries, go through.
    factor = models.ForeignKey(Factor, on_delete=models.RESTRICT, related_name="entries")
    occurred_at = models.DateTimeField()
    notes = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "occurred_at"], name="factorentry_patient_time")]


# Every kind of diary record, in the order defined above (the API's); each has its module in diary.kinds,
# which the system check diary.checks holds to this list.
DIARY_MODELS: tuple[type[DiaryRecord], ...] = tuple(DiaryRecord.__subclasses__())


# --- Sharing -----------------------------------------------------------------------------------


class ShareCode(models.Model):
    """A one-time code a patient gives a clinician. Only its digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="share_codes")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")


class CareLink(models.Model):
    """A patient has shared their diary with one clinician or with a clinic (every member of it, as
    membership stands at each request); deleting the row revokes it at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clinician_links")
    clinician = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="patient_links"
    )
    # A clinic closed by staff ends its links (services.clinics.clinic_delete tells the patients first).
    clinic = models.ForeignKey(
        "Clinic", on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The clinic's own number for the patient, set by the clinician; null: none given.
    clinic_reference = models.CharField(max_length=40, null=True, blank=True)
    # A clinic link's patient may be assigned to one member (services.sharing checks the membership;
    # removing the member unassigns them, services.clinics); null: nobody in particular.
    assigned_to = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "clinician"], name="carelink_unique_pair"),
            models.UniqueConstraint(fields=["patient", "clinic"], name="carelink_unique_clinic_pair"),
            models.CheckConstraint(
                condition=Q(clinician__isnull=False, clinic__isnull=True)
                | Q(clinician__isnull=True, clinic__isnull=False),
                name="carelink_clinician_or_clinic",
            ),
            # A link with one clinician is theirs already: only a clinic's patient is assigned.
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=True) | Q(clinic__isnull=False),
                name="carelink_assigned_in_clinic",
            ),
        ]
        indexes = [
            models.Index(fields=["clinician", "patient"], name="carelink_clinician"),
            models.Index(fields=["clinic", "patient"], name="carelink_clinic"),
            # "Assigned to me" (selectors.clinician_patients) and the member's removal (services.clinics).
            models.Index(
                fields=["assigned_to"], name="carelink_assigned", condition=Q(assigned_to__isnull=False)
            ),
        ]


class ClinicRole(models.TextChoices):
    ADMIN = "admin"
    CLINICIAN = "clinician"


class Clinic(models.Model):
    """A team of clinicians sharing one patient list; created by staff with its first admin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ClinicMembership(models.Model):
    """A clinician belongs to a clinic; deleting the row ends their access to its patients at once."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clinic_memberships")
    role = models.CharField(max_length=16, choices=ClinicRole.choices, default=ClinicRole.CLINICIAN)
    joined_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "user"], name="membership_unique_pair"),
            models.CheckConstraint(condition=Q(role__in=ClinicRole.values), name="membership_role_valid"),
        ]
        # Every clinician read asks which clinics the reader belongs to.
        indexes = [models.Index(fields=["user", "clinic"], name="membership_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.clinic}"


class ClinicInvite(models.Model):
    """A one-time invitation to join a clinic, emailed to an address. Only its token's digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=ClinicRole.choices, default=ClinicRole.CLINICIAN)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=ClinicRole.values), name="invite_role_valid"),
        ]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only")

    def delete(self):
        raise PermissionError("The access log is append-only")


class AccessLogEntry(models.Model):
    """One clinician read or export of a patient's diary. Append-only: rows are never edited or removed
    one by one; they go only with the patient's whole account (a cascade, which bypasses these guards)."""

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_log")
    clinician = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    clinician_name = models.CharField(max_length=254)
    # The clinic whose link the read went through (blank: a link with the clinician, or staff); the name
    # is kept as it was, so the log still says who read after the clinic is gone.
    clinic = models.ForeignKey(Clinic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    clinic_name = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=64)
    at = models.DateTimeField(default=now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["patient", "-at"], name="accesslog_patient_at")]
        verbose_name_plural = "access log entries"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only")


# --- Reminders ---------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    COMPRESSION_ON = "compression_on"
    COMPRESSION_OFF = "compression_off"
    ELEVATION = "elevation"
    HYDRATION = "hydration"
    STRETCH = "stretch"
    MORNING_CHECKIN = "morning_checkin"
    EVENING_CHECKIN = "evening_checkin"
    CUSTOM = "custom"
    # The weekly word (docs/decisions/0031-weekly-summary.md): on one weekday only.
    WEEKLY_SUMMARY = "weekly_summary"


class Channel(models.TextChoices):
    PUSH = "push"
    EMAIL = "email"


def every_weekday() -> list[int]:
    return list(range(7))


def push_only() -> list[str]:
    return [Channel.PUSH.value]


class Reminder(models.Model):
    """A nudge at a local time on chosen weekdays. Scheduling is the `next_fire_at` column: the
    dispatcher (services.reminders.dispatch_due) claims rows whose time has come and moves it on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    local_time = models.TimeField()
    weekdays = models.JSONField(default=every_weekday, help_text="Monday = 0 … Sunday = 6.")
    channels = models.JSONField(default=push_only)
    enabled = models.BooleanField(default=True)
    message = models.CharField(max_length=200, blank=True)
    next_fire_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The dispatcher's one query: enabled reminders whose time has come (dispatch_due).
            models.Index(
                fields=["next_fire_at"],
                name="reminder_due",
                condition=Q(enabled=True, next_fire_at__isnull=False),
            ),
            models.Index(fields=["patient", "local_time"], name="reminder_patient"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
            # One weekly word per patient: a second would send the same summary twice each week.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(kind="weekly_summary"), name="reminder_one_weekly_summary"
            ),
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class Delivery(models.Model):
    """One occurrence of a reminder on one channel, written before any send is tried, so that every
    occurrence is accounted for: it ends sent, skipped or failed, with the reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What is delivered: one occurrence of a reminder (to its patient), or one urgent alert (to its
    # clinician, or to each member of its clinic). Exactly one of the two.
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    alert = models.ForeignKey(
        "UrgentAlert", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # Who an alert's delivery goes to (a clinic's alert has one per member and channel); null for a
    # reminder's, whose patient it goes to.
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    scheduled_for = models.DateTimeField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    reason = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker holds the delivery until this time; past it, another may take it over.
    lease_until = models.DateTimeField(null=True, blank=True)
    # When a pending delivery should be tried (again); the dispatcher re-queues what is due.
    retry_at = models.DateTimeField(null=True, blank=True)
    # For email: set just before the message is handed to the mail server, so that a crash after it
    # is recorded as failed rather than risking a second copy.
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "scheduled_for", "channel"], name="delivery_once_per_occurrence"
            ),
            models.UniqueConstraint(
                fields=["alert", "recipient", "channel"],
                condition=Q(alert__isnull=False),
                name="delivery_once_per_alert",
            ),
            models.CheckConstraint(
                condition=Q(reminder__isnull=False, alert__isnull=True, recipient__isnull=True)
                | Q(reminder__isnull=True, alert__isnull=False, recipient__isnull=False),
                name="delivery_reminder_or_alert",
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="delivery_channel_valid"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [
            # The dispatcher's recovery query: pending deliveries whose retry time has come.
            models.Index(fields=["retry_at"], name="delivery_pending_retry", condition=Q(status="pending")),
            models.Index(fields=["reminder", "-scheduled_for"], name="delivery_reminder_recent"),
        ]


class PushSubscription(models.Model):
    """A browser's Web Push endpoint and keys; removed when the push service says it is gone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)


# --- Urgent warnings: the patient's answer, the clinician's alert ------------------------------


class Acknowledgement(models.TextChoices):
    GOT_HELP = "got_help"
    SEEN_DOCTOR = "seen_doctor"


class InsightAcknowledgement(models.Model):
    """The patient said "I got help" or "I have seen a doctor" about an urgent warning. The banner then
    folds to one line, until a newer urgent check-in of the same warning supersedes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="insight_acknowledgements")
    code = models.CharField(max_length=40)
    action = models.CharField(max_length=16, choices=Acknowledgement.choices)
    acknowledged_at = models.DateTimeField(default=now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "code", "-acknowledged_at"], name="ack_patient_code")]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=Acknowledgement.values), name="ack_action_valid"),
        ]


class UrgentAlert(models.Model):
    """One linked clinician, or one clinic the patient shares with, told of one urgent warning of one
    patient: raised by the first urgent check-in that shows it, joined by later ones while it is open,
    closed by the review of that clinician or of any member of that clinic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="urgent_alerts")
    clinician = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts_to_review"
    )
    clinic = models.ForeignKey(
        "Clinic", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    code = models.CharField(max_length=40)
    level = models.CharField(max_length=8, default="urgent")
    raised_at = models.DateTimeField(default=now)
    # The check-in time of the first and of the newest check-in behind the alert.
    evidence_at = models.DateTimeField()
    last_evidence_at = models.DateTimeField()
    acknowledged_by_patient_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_by_name = models.CharField(max_length=254, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            # Exactly once: two check-ins saved at the same moment cannot open two alerts.
            models.UniqueConstraint(
                fields=["patient", "clinician", "code"],
                condition=Q(reviewed_at__isnull=True, clinician__isnull=False),
                name="alert_one_open_per_warning",
            ),
            models.UniqueConstraint(
                fields=["patient", "clinic", "code"],
                condition=Q(reviewed_at__isnull=True, clinic__isnull=False),
                name="alert_one_open_per_clinic_warning",
            ),
            models.CheckConstraint(
                condition=Q(clinician__isnull=False, clinic__isnull=True)
                | Q(clinician__isnull=True, clinic__isnull=False),
                name="alert_clinician_or_clinic",
            ),
        ]
        indexes = [
            models.Index(fields=["clinician", "-raised_at"], name="alert_clinician_recent"),
            models.Index(fields=["clinic", "-raised_at"], name="alert_clinic_recent"),
        ]


# --- Questionnaires and summaries --------------------------------------------------------------


class ClaudicationAnswer(models.Model):
    """One completed Edinburgh Claudication Questionnaire, with its classification (diary.claudication)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="claudication_answers")
    answered_at = models.DateTimeField(default=now)
    walking_pain = models.CharField(max_length=16)
    pain_starts_at_rest = models.BooleanField(null=True, blank=True)
    pain_uphill_or_hurrying = models.CharField(max_length=24, blank=True)
    pain_ordinary_pace = models.BooleanField(null=True, blank=True)
    pain_when_standing_still = models.CharField(max_length=24, blank=True)
    locations = models.JSONField(default=list)
    result = models.CharField(max_length=12)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "-answered_at"], name="claudication_patient")]


class PatientSummary(models.Model):
    """What the clinician's list shows of a patient, kept current by a task twice a minute and nightly
    (services.summaries). `stale` is set by every write (for diary records, by a database trigger:
    migration 0005); the list recomputes the stale rows it shows."""

    patient = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    highest_level = models.CharField(max_length=8, null=True, blank=True)
    level_rank = models.PositiveSmallIntegerField(default=0)  # 3 urgent, 2 advice, 1 info, 0 none
    insight_codes = models.JSONField(default=list)
    cramp_nights_28d = models.PositiveIntegerField(default=0)
    compression_days_28d = models.PositiveIntegerField(default=0)
    last_entry_at = models.DateTimeField(null=True, blank=True)
    last_evidence_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    stale = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "patient summaries"


# --- FHIR Bulk Data: a clinic's Group export ---------------------------------------------------


class BulkExportStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BulkExport(models.Model):
    """One FHIR Bulk Data `Group/<clinic>/$export` job: asked for by a member, run by a worker, its NDJSON
    files kept until `expires_at` and readable only by who asked (services.bulk_export, ADR 0033)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="bulk_exports")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bulk_exports")
    status = models.CharField(
        max_length=16, choices=BulkExportStatus.choices, default=BulkExportStatus.PENDING
    )
    # The kick-off request as sent (the manifest's `request`), and its parameters.
    request_url = models.TextField()
    since = models.DateTimeField(null=True, blank=True)
    # The resource types asked for (`_type`); empty: every type the export writes.
    types = models.JSONField(default=list, blank=True)
    # When the job began reading: the manifest's `transactionTime`, the client's next `_since`.
    transaction_time = models.DateTimeField(null=True, blank=True)
    patients_total = models.PositiveIntegerField(null=True, blank=True)
    patients_done = models.PositiveIntegerField(default=0)
    # [{type, name, count}], one per non-empty file, in the order written.
    files = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)
    # Last handed to the broker; a pending job not picked up a minute after is queued again.
    queued_at = models.DateTimeField(default=now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BulkExportStatus.values), name="bulk_export_status_valid"
            ),
        ]
