"""The patient's own export (GDPR articles 15 and 20): the profile, every record and everything else
kept about them, as JSON in the API's own shapes or as one long CSV table (docs/decisions/0007)."""

from functools import cache

from django.utils import timezone
from rest_framework import serializers

from diary.api.accounts import ProfileSerializer
from diary.api.alerts import AlertSerializer
from diary.api.factors import FactorSerializer
from diary.api.reminders import DeliverySerializer, ReminderSerializer
from diary.api.sharing import AccessLogSerializer, LinkSerializer
from diary.api.trends import ClaudicationSerializer
from diary.exports.tabular import (
    ADDED_COLUMNS,
    columns_of,
    local_columns,
    record_columns,
    record_csv_lines,
    record_serializers,
    records_by_collection,
    table,
    time_fields_of,
)
from diary.models import InsightAcknowledgement, PushSubscription, ShareCode, User
from diary.selectors import export as export_reads
from diary.selectors.medications import factors_of


class PushSubscriptionExportSerializer(serializers.ModelSerializer):
    """A browser the patient allowed reminders on; never its keys, which decrypt what is pushed to it."""

    class Meta:
        model = PushSubscription
        fields = ("endpoint", "created_at")


class ShareCodeExportSerializer(serializers.ModelSerializer):
    """A sharing code's times and the clinician who redeemed it (kept after a link is revoked, so the
    patient can see who was ever given access); never its digest."""

    redeemed_by_name = serializers.CharField(source="redeemed_by.name", read_only=True, allow_null=True)

    class Meta:
        model = ShareCode
        fields = ("id", "created_at", "expires_at", "redeemed_at", "redeemed_by", "redeemed_by_name")


class AcknowledgementExportSerializer(serializers.ModelSerializer):
    """The patient's "I got help" / "I have seen a doctor", and when a newer warning superseded it."""

    class Meta:
        model = InsightAcknowledgement
        fields = ("id", "code", "action", "acknowledged_at", "superseded_at")


class UrgentAlertExportSerializer(AlertSerializer):
    """An alert about the patient as the clinician's list shows it, with the clinician it went to. The
    patient's answer is in insight_acknowledgements (read here, it would cost a query per alert)."""

    # Null for a clinic's alert: it went to the clinic's members (its `clinic_name`).
    clinician_name = serializers.CharField(source="clinician.name", read_only=True, allow_null=True)
    acknowledgement = None

    class Meta(AlertSerializer.Meta):
        fields = (
            *(name for name in AlertSerializer.Meta.fields if name != "acknowledgement"),
            "clinician",
            "clinician_name",
        )
        read_only_fields = fields


# Beyond the profile and the diary records, everything kept about the patient (GDPR articles 15 and
# 20), by export key: the API's own shape where the API has one, and the read, oldest first.
ACCOUNT_COLLECTIONS = {
    "factors": (FactorSerializer, factors_of),
    "claudication": (ClaudicationSerializer, export_reads.claudication_answers_of),
    "reminders": (ReminderSerializer, export_reads.reminders_of),
    "reminder_deliveries": (DeliverySerializer, export_reads.deliveries_of),
    "push_subscriptions": (PushSubscriptionExportSerializer, export_reads.push_subscriptions_of),
    "sharing_links": (LinkSerializer, export_reads.sharing_links_of),
    "sharing_codes": (ShareCodeExportSerializer, export_reads.share_codes_of),
    "access_log": (AccessLogSerializer, export_reads.access_log_entries_of),
    "insight_acknowledgements": (AcknowledgementExportSerializer, export_reads.acknowledgements_of),
    "urgent_alerts": (UrgentAlertExportSerializer, export_reads.urgent_alerts_of),
}


def account_serializers() -> dict[str, type[serializers.Serializer]]:
    return {key: serializer_class for key, (serializer_class, _) in ACCOUNT_COLLECTIONS.items()}


@cache
def diary_columns() -> list[str]:
    """The record columns first, in their order (files read by column position keep working), then
    the other collections' columns, then the zone and the local times of all of them, then the record
    columns added since (tabular.ADDED_COLUMNS)."""
    extra = [column for column in columns_of(account_serializers()) if column not in record_columns()]
    local = local_columns({**record_serializers(), **account_serializers()})
    return record_columns() + extra + local + list(ADDED_COLUMNS)


@cache
def diary_time_fields() -> dict[str, list[str]]:
    return {
        key: time_fields_of(cls) for key, cls in {**record_serializers(), **account_serializers()}.items()
    }


def diary_as_dict(patient: User) -> dict:
    """The patient's own export: the profile, every record, and everything else kept about them."""
    body = {"exported_at": timezone.now().isoformat(), "profile": ProfileSerializer(patient).data}
    body.update(records_by_collection(patient))
    for key, (serializer_class, rows_of) in ACCOUNT_COLLECTIONS.items():
        body[key] = serializer_class(rows_of(patient=patient), many=True).data
    return body


def diary_as_csv(patient: User) -> str:
    """Every collection of the patient's own export as one table (the profile, one object, is in the
    JSON only): the records as the clinician's CSV writes them, then the rest."""
    columns = diary_columns()
    account = {
        key: serializer_class(rows_of(patient=patient), many=True).data
        for key, (serializer_class, rows_of) in ACCOUNT_COLLECTIONS.items()
    }
    records = "".join(record_csv_lines(patient, columns))
    return records + table(account, columns, patient, diary_time_fields(), header=False)
