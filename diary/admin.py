"""The Django admin: people, the diary records (one admin per kind, diary.kinds), sharing, and the
read-only access log."""

from django import forms
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from knox.admin import AuthTokenAdmin as KnoxAuthTokenAdmin
from knox.models import AuthToken

from diary.kinds import KINDS, Kind
from diary.models import (
    AccessLogEntry,
    CareLink,
    ClaudicationAnswer,
    Clinic,
    ClinicInvite,
    ClinicMembership,
    Delivery,
    Factor,
    InsightAcknowledgement,
    PatientSummary,
    PushSubscription,
    Reminder,
    Role,
    ShareCode,
    UrgentAlert,
    User,
)
from diary.services.accounts import account_delete, profile_changed, sign_out_everywhere
from diary.services.clinics import clinic_delete
from diary.services.records import derive_fields, records_rezone
from diary.services.reminders import schedule
from diary.services.two_factor import two_factor_reset

# LoginSession is left out on purpose: its primary key is a live session key, which the admin
# would print in every link and form.

# Which role a foreign key to a user expects, by the field's name.
ROLE_OF_FIELD = {"patient": Role.PATIENT, "clinician": Role.CLINICIAN, "redeemed_by": Role.CLINICIAN}


def log_admin_reads(*, staff: User, action: str, patient_ids) -> None:
    """One access-log row per patient, all in one INSERT however many patients a list page shows.

    bulk_create adds new rows only, which the append-only log allows (it refuses updates and deletes).
    """
    entries = [
        AccessLogEntry(patient_id=patient_id, clinician=staff, clinician_name=staff.name, action=action)
        for patient_id in sorted(patient_ids, key=str)
    ]
    if entries:
        AccessLogEntry.objects.bulk_create(entries)


def log_deletions_naming_no_one(request, model, objs, key_and_repr) -> list[LogEntry]:
    """The admin's deletion entries, with `key_and_repr(obj)` for its id and text instead of str(obj):
    once the row is gone, erasing the account could not find an entry that names the person."""
    content_type = ContentType.objects.get_for_model(model)
    entries = []
    for obj in objs:
        object_id, object_repr = key_and_repr(obj)
        entries.append(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=object_id,
                object_repr=object_repr,
                action_flag=DELETION,
                change_message="",
            )
        )
    return LogEntry.objects.bulk_create(entries)


class ReadsLoggedMixin:
    """Staff opening a patient's data is written to that patient's access log, as a clinician's read is.

    The patients are those a list or change page shows. GET only: a save redirects, and a form sent back
    with errors was logged when it was opened. Every admin whose rows belong to a patient has it
    (tests/test_admin_security.py walks the registry, with the reasoned exceptions).
    """

    read_action = ""
    log_lists = True

    def patient_id_of(self, obj):
        return obj.patient_id

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")  # none on a redirect
        if self.log_lists and request.method == "GET" and changelist is not None:
            # The page's own rows, already read for the template: no extra query to find the patients.
            patient_ids = {self.patient_id_of(obj) for obj in changelist.result_list} - {None}
            log_admin_reads(staff=request.user, action=self.read_action, patient_ids=patient_ids)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and shown is not None:
            patient_id = self.patient_id_of(shown)
            if patient_id is not None:
                log_admin_reads(staff=request.user, action=self.read_action, patient_ids={patient_id})
        return response


class EmailFormMixin:
    def clean_email(self):
        # Emails are stored lower-case (UserManager) and unique whatever their case.
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("A user with this email address already exists.")
        return email


class UserCreateForm(EmailFormMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


class UserEditForm(EmailFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PasswordSetForm(AdminPasswordChangeForm):
    """Staff setting a password signs the user out everywhere, as a change through the API does."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            sign_out_everywhere(user=user)
        return user


@admin.register(User)
class UserAdmin(ReadsLoggedMixin, BaseUserAdmin):
    # The list shows names and emails only; a patient's own page shows their health profile.
    read_action = "admin view profile"
    log_lists = False
    form = UserEditForm
    add_form = UserCreateForm
    change_password_form = PasswordSetForm
    list_display = ("email", "display_name", "role", "totp_enabled", "is_staff", "date_joined")
    list_filter = ("role", "totp_enabled", "is_staff", "is_active")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined", "totp_enabled")
    actions = ["turn_off_two_factor", "rederive_records"]

    @admin.action(description="Turn off two-factor sign-in (lost phone; confirm who they are first)")
    def turn_off_two_factor(self, request, queryset):
        # The person proves who they are to staff out of band; they turn it on again in the app.
        users = list(queryset.filter(totp_enabled=True))
        for user in users:
            two_factor_reset(user=user)
        self.message_user(request, f"Two-factor sign-in turned off for {len(users)} account(s).")

    @admin.action(description="Re-derive the records' dates and nights, each in the zone it was logged in")
    def rederive_records(self, request, queryset):
        # On purpose only: a profile's new zone never moves old records (docs/decisions/0037). To set the
        # zone records were lived in, use manage.py rezone_records. Logged under the member of staff.
        patients = list(queryset.filter(role=Role.PATIENT))
        written = sum(records_rezone(patient=patient, staff=request.user) for patient in patients)
        self.message_user(request, f"{written} records of {len(patients)} patient(s) re-derived.")

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "role",
                    "timezone",
                    ("night_start", "night_end"),
                    ("quiet_start", "quiet_end"),
                    "fluid_target_ml",
                    "compression_class",
                    "takes_diuretics",
                    "previous_dvt",
                )
            },
        ),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "usable_password", "password1", "password2"),
            },
        ),
    )

    def patient_id_of(self, obj):
        return obj.pk if obj.is_patient else None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # What the API does after a profile change: entries re-dated, reminders rescheduled in a new
        # zone, the clinician's summary recomputed.
        if change:
            profile_changed(user=obj, changed_fields=set(form.changed_data))

    def log_deletions(self, request, queryset):
        # Erasing an account takes every admin log entry about the person with it (account_delete);
        # what stays is that this member of staff erased an account, naming no one.
        return log_deletions_naming_no_one(request, User, queryset, lambda user: (None, "an erased account"))

    def delete_model(self, request, obj):
        account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            account_delete(user=user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # No one may delete access log rows, yet they go with the patient's account by design.
        perms_needed.discard(AccessLogEntry._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocompletes of other admins offer only people of the role the field expects.
        role = ROLE_OF_FIELD.get(request.GET.get("field_name", ""))
        if role:
            queryset = queryset.filter(role=role)
        return queryset, may_have_duplicates


class PeopleByRoleMixin:
    """Foreign keys to users accept only the role the field's name asks for."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        role = ROLE_OF_FIELD.get(db_field.name)
        if role:
            kwargs["queryset"] = User.objects.filter(role=role)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecordAdmin(ReadsLoggedMixin, PeopleByRoleMixin, admin.ModelAdmin):
    """Shared by every kind of record; the dates derived from the record's zone are shown, not edited."""

    list_select_related = ("patient",)
    # No second COUNT over the whole table on every list page: the page's access-log INSERT takes its place.
    show_full_result_count = False
    search_fields = ("patient__email",)
    autocomplete_fields = ("patient",)
    readonly_fields = ("local_date", "created_at", "updated_at")

    def get_ordering(self, request):
        return ("-" + self.model.TIME_FIELD,)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "timezone":
            # As on the API: left empty, the record is logged in the patient's zone (docs/decisions/0037).
            field.required = False
            field.help_text = "The IANA zone the record was lived in; empty: the patient's zone now."
        return field

    def save_model(self, request, obj, form, change):
        # The derived columns are not null: fill them as the API's services do, in the record's own zone
        # (the patient's when left empty).
        derive_fields(obj, obj.patient)
        super().save_model(request, obj, form, change)


def record_admin(kind: Kind) -> type[RecordAdmin]:
    """A kind's admin: RecordAdmin with the kind's own columns and filters; its reads logged by segment."""
    options = dict(kind.admin)
    options["readonly_fields"] = (*RecordAdmin.readonly_fields, *options.get("readonly_fields", ()))
    return type(
        f"{kind.model.__name__}Admin",
        (RecordAdmin,),
        {
            "__module__": __name__,
            "read_action": f"admin view {kind.segment}",
            "date_hierarchy": kind.time_field,
            **options,
        },
    )


for kind in KINDS:
    admin.site.register(kind.model, record_admin(kind))


@admin.register(CareLink)
class CareLinkAdmin(ReadsLoggedMixin, PeopleByRoleMixin, admin.ModelAdmin):
    read_action = "admin view sharing links"
    list_display = ("patient", "clinician", "clinic", "created_at")
    list_select_related = ("patient", "clinician", "clinic")
    search_fields = ("patient__email", "clinician__email", "clinic__name")
    autocomplete_fields = ("patient", "clinician", "clinic")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"


class ClinicMembershipInline(admin.TabularInline):
    """Staff add a clinic's first admin here; its admins invite everyone else from the app."""

    model = ClinicMembership
    extra = 1
    autocomplete_fields = ("user",)
    fields = ("user", "role", "joined_at")
    readonly_fields = ("joined_at",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.CLINICIAN)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ClinicInviteInline(admin.TabularInline):
    """Looked at only: an invite's token is shown to nobody (only its digest is stored)."""

    model = ClinicInvite
    extra = 0
    fields = ("email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by")
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    """A clinic, its members and invites. Not ReadsLoggedMixin: the page shows clinicians, no patient
    and no diary (the clinic's links are on the sharing links page, whose reads are logged).
    Deleting a clinic ends its links, tells each patient in their access log, and keeps the log."""

    list_display = ("name", "created_at")
    search_fields = ("name",)
    readonly_fields = ("created_at",)
    inlines = (ClinicMembershipInline, ClinicInviteInline)

    def delete_model(self, request, obj):
        clinic_delete(clinic=obj, staff=request.user)

    def delete_queryset(self, request, queryset):
        for clinic in queryset:
            clinic_delete(clinic=clinic, staff=request.user)


@admin.register(ShareCode)
class ShareCodeAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    """Codes are made by patients in the app; here they can only be looked at or expired early."""

    read_action = "admin view share codes"
    list_display = ("patient", "created_at", "expires_at", "redeemed_at", "redeemed_by")
    list_select_related = ("patient", "redeemed_by")
    search_fields = ("patient__email",)
    readonly_fields = ("patient", "digest", "created_at", "redeemed_at", "redeemed_by")
    fields = ("patient", "digest", "created_at", "expires_at", "redeemed_at", "redeemed_by")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        # The code itself is shown once, to the patient who made it; the admin could not show it.
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Append-only: the model refuses edits and deletes, so the admin offers neither.

    Reads of it are not logged: it holds who read a diary, not the diary, and a log of reading the log
    would grow with every look at it.
    """

    list_display = ("at", "patient", "clinician_name", "clinic_name", "action")
    list_select_related = ("patient",)
    list_filter = ("action",)
    search_fields = ("patient__email", "clinician_name")
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadsLoggedMixin, PeopleByRoleMixin, admin.ModelAdmin):
    # A reminder's kind, times and own message say what the patient is treated for.
    read_action = "admin view reminders"
    list_display = ("patient", "kind", "local_time", "weekdays", "channels", "enabled", "next_fire_at")
    list_filter = ("kind", "enabled")
    list_select_related = ("patient",)
    search_fields = ("patient__email",)
    autocomplete_fields = ("patient",)
    readonly_fields = ("next_fire_at", "created_at")

    def save_model(self, request, obj, form, change):
        # The schedule column follows the fields, as it does through the API.
        schedule(obj, patient=obj.patient, after=timezone.now())
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    """Where staff see delivery failures: every occurrence, with how it ended and why."""

    read_action = "admin view deliveries"
    # Every occurrence of every reminder: no COUNT of the whole table on each page.
    show_full_result_count = False
    list_display = (
        "scheduled_for",
        "reminder",
        "alert",
        "channel",
        "status",
        "reason",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel")
    list_select_related = ("reminder__patient", "alert")
    search_fields = ("reminder__patient__email", "alert__patient__email", "reason")
    date_hierarchy = "scheduled_for"
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def patient_id_of(self, obj):
        # The list selects the reminder or alert with the row: no query per row. An alert's delivery
        # goes to a clinician, but says that this patient had an urgent warning: it is her read.
        return obj.alert.patient_id if obj.alert_id else obj.reminder.patient_id

    def has_add_permission(self, request):
        return False


@admin.register(UrgentAlert)
class UrgentAlertAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    """Raised from check-ins and reviewed by clinicians in the app (services.alerts): shown, never edited."""

    read_action = "admin view urgent alerts"
    list_display = ("raised_at", "patient", "clinician", "code", "acknowledged_by_patient_at", "reviewed_at")
    list_filter = ("code",)
    list_select_related = ("patient", "clinician")
    search_fields = ("patient__email", "clinician__email")
    readonly_fields = [field.name for field in UrgentAlert._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(InsightAcknowledgement)
class InsightAcknowledgementAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    read_action = "admin view acknowledgements"
    list_display = ("acknowledged_at", "patient", "code", "action", "superseded_at")
    list_filter = ("code", "action")
    list_select_related = ("patient",)
    search_fields = ("patient__email",)
    readonly_fields = [field.name for field in InsightAcknowledgement._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Factor)
class FactorAdmin(ReadsLoggedMixin, PeopleByRoleMixin, admin.ModelAdmin):
    """A patient's own tag; its entries are the factor-entries records."""

    read_action = "admin view factors"
    list_display = ("name", "patient", "created_at")
    list_select_related = ("patient",)
    search_fields = ("patient__email", "name")
    autocomplete_fields = ("patient",)
    readonly_fields = ("created_at",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    read_action = "admin view push subscriptions"
    list_display = ("patient", "endpoint", "created_at")
    list_select_related = ("patient",)
    search_fields = ("patient__email", "endpoint")
    readonly_fields = ("patient", "endpoint", "p256dh", "auth", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(ClaudicationAnswer)
class ClaudicationAnswerAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    read_action = "admin view claudication"
    list_display = ("patient", "answered_at", "result", "grade")
    list_filter = ("result",)
    list_select_related = ("patient",)
    search_fields = ("patient__email",)
    readonly_fields = [field.name for field in ClaudicationAnswer._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PatientSummary)
class PatientSummaryAdmin(ReadsLoggedMixin, admin.ModelAdmin):
    """Computed from the diary (services.summaries): shown, never edited."""

    read_action = "admin view summary"

    list_display = ("patient", "highest_level", "insight_codes", "cramp_nights_28d", "stale", "computed_at")
    list_filter = ("highest_level", "stale")
    list_select_related = ("patient",)
    search_fields = ("patient__email",)
    readonly_fields = [field.name for field in PatientSummary._meta.fields]

    def has_add_permission(self, request):
        return False


# Knox's own admin would let staff make a token for anyone and be handed it: signed in as that person,
# past their password and second factor, with nothing in their log. Here tokens are looked at and
# revoked only.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(ReadsLoggedMixin, KnoxAuthTokenAdmin):
    read_action = "admin view sign-in tokens"
    list_display = ("digest", "user", "created", "expiry")
    list_select_related = ("user",)
    readonly_fields = ("digest", "user", "created", "expiry")
    fields = readonly_fields

    def patient_id_of(self, obj):
        return obj.user_id if obj.user.is_patient else None

    def log_deletions(self, request, queryset):
        # Knox's str() of a token names its user.
        return log_deletions_naming_no_one(
            request, AuthToken, queryset, lambda token: (token.pk, f"token {token.pk[:12]}…")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
