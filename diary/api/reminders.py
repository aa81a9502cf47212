"""Reminders and Web Push over HTTP: CRUD, Snooze, Done, the delivery record, subscriptions, and the
weekly summary a `weekly_summary` reminder announces."""

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from diary import kinds, push
from diary.api.permissions import IsPatient
from diary.api.records import UUID_PATTERN
from diary.api.serializers import ClockTimeField
from diary.delivery_reasons import reason_words
from diary.models import (
    Channel,
    Delivery,
    Reminder,
    ReminderKind,
    every_weekday,
    push_only,
)
from diary.selectors.weekly import weekly_summary
from diary.services import deliveries, push_subscriptions, reminders

SNOOZE_MINUTES = (10, 30, 60)


class ReminderSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ReminderKind.choices)
    local_time = ClockTimeField(help_text="Local time, HH:MM, in the patient's zone.")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        default=every_weekday,
        help_text="Monday = 0 … Sunday = 6; every day when left out.",
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices),
        min_length=1,
        max_length=2,
        default=push_only,
    )
    message = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Shown in the app only; the lock screen always shows generic text.",
    )

    class Meta:
        model = Reminder
        fields = ("id", "kind", "local_time", "weekdays", "channels", "enabled", "message", "next_fire_at")
        read_only_fields = ("id", "next_fire_at")

    def validate_weekdays(self, value):
        return sorted(set(value))

    def validate_channels(self, value):
        return sorted(set(value))

    def validate(self, attrs):
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if kind != ReminderKind.WEEKLY_SUMMARY:
            return attrs
        weekdays = attrs.get("weekdays", getattr(self.instance, "weekdays", None))
        if not weekdays or len(weekdays) != 1:
            raise serializers.ValidationError(
                {"weekdays": [_("The weekly summary comes on one day of the week: choose exactly one day.")]}
            )
        request = self.context.get("request")
        others = Reminder.objects.filter(patient=getattr(request, "user", None), kind=kind)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if request is not None and others.exists():
            raise serializers.ValidationError(
                {"kind": [_("You already have a weekly summary: change that one instead of adding another.")]}
            )
        return attrs


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ("id", "reminder", "scheduled_for", "channel", "status", "reason", "sent_at", "done_at")


class ListedDeliverySerializer(DeliverySerializer):
    """A delivery in the patient's reminders list: `reason` is the operator's record (English), and
    `reason_text` says it to the patient, in their language and on their clock."""

    reason_text = serializers.SerializerMethodField(
        help_text="Why it was skipped or not delivered, worded for the patient; empty when sent."
    )

    class Meta(DeliverySerializer.Meta):
        fields = (*DeliverySerializer.Meta.fields, "reason_text")

    def get_reason_text(self, delivery: Delivery) -> str:
        patient = self.context["request"].user
        return reason_words(
            delivery.reason,
            status=delivery.status,
            scheduled_for=delivery.scheduled_for,
            zone_name=patient.timezone,
        )


class SnoozeSerializer(serializers.Serializer):
    minutes = serializers.ChoiceField(choices=SNOOZE_MINUTES)


class DoneSerializer(serializers.Serializer):
    occurrence = serializers.DateTimeField(
        required=False, help_text="The occurrence to mark done; the latest one when left out."
    )


class DoneResultSerializer(serializers.Serializer):
    reminder = ReminderSerializer()
    logged = inline_serializer(
        "LoggedRecord",
        {"collection": serializers.CharField(), "id": serializers.UUIDField()},
        allow_null=True,
        help_text="The record Done logged (stockings on, 15 min elevation, 250 ml), if any.",
    )


class ActionSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text="The action_token of the push message.")
    action = serializers.ChoiceField(choices=["done", "snooze"])
    minutes = serializers.ChoiceField(choices=SNOOZE_MINUTES, default=30)


def _done_body(reminder, record) -> dict:
    logged = None
    if record is not None:
        logged = {"collection": kinds.by_model(type(record)).segment, "id": record.pk}
    return DoneResultSerializer({"reminder": reminder, "logged": logged}).data


def _done(reminder, occurrence=None) -> Response:
    try:
        record = reminders.reminder_done(reminder=reminder, occurrence=occurrence)
    except reminders.DoneNeedsDetails:
        return Response(
            {"detail": _("Log your stockings once in the app (class, garment), so Done knows which ones.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response(_done_body(reminder, record))


class ReminderViewSet(viewsets.ModelViewSet):
    serializer_class = ReminderSerializer
    permission_classes = [IsPatient]
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reminder.objects.none()
        return Reminder.objects.filter(patient=self.request.user).order_by("local_time", "kind")

    def perform_create(self, serializer):
        serializer.instance = reminders.reminder_create(
            patient=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = reminders.reminder_update(
            reminder=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        reminders.reminder_delete(reminder=instance)

    @extend_schema(request=SnoozeSerializer, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk=None):
        chosen = SnoozeSerializer(data=request.data)
        chosen.is_valid(raise_exception=True)
        reminder = reminders.reminder_snooze(
            reminder=self.get_object(), minutes=chosen.validated_data["minutes"]
        )
        return Response(ReminderSerializer(reminder).data)

    @extend_schema(request=DoneSerializer, responses={200: DoneResultSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        body = DoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _done(self.get_object(), body.validated_data.get("occurrence"))

    @extend_schema(responses=ListedDeliverySerializer(many=True))
    @action(detail=False, methods=["get"])
    def deliveries(self, request):
        """Every occurrence of the patient's reminders, newest first: sent, skipped or failed, and why."""
        queryset = Delivery.objects.filter(reminder__patient=request.user).order_by(
            "-scheduled_for", "channel"
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            ListedDeliverySerializer(page, many=True, context=self.get_serializer_context()).data
        )


class ReminderActionViewSet(viewsets.ViewSet):
    """Done and Snooze from a notification's buttons: the service worker holds no session cookie it
    can send with a CSRF token, so the push message carries a signed token for its own occurrence."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=ActionSerializer, responses={200: DoneResultSerializer, 404: OpenApiResponse()})
    def create(self, request):
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            reminder_id, occurrence = deliveries.action_token_read(body.validated_data["token"])
        except signing.BadSignature:
            return Response(
                {"token": [_("This notification has expired. Open the app instead.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        reminder = Reminder.objects.select_related("patient").filter(pk=reminder_id).first()
        if reminder is None:
            raise NotFound
        if body.validated_data["action"] == "snooze":
            reminders.reminder_snooze(reminder=reminder, minutes=body.validated_data["minutes"])
            return Response(_done_body(reminder, None))
        return _done(reminder, occurrence)


class WeekQuerySerializer(serializers.Serializer):
    week = serializers.DateField(
        required=False, help_text="The local date the week ends on (the summary's day); today when left out."
    )

    def validate_week(self, value):
        today = timezone.localtime(timezone.now(), self.context["patient"].zone).date()
        if value > today:
            raise serializers.ValidationError(
                _("This week has not happened yet: choose today or a day before.")
            )
        return value


class WeekFiguresSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    days = serializers.IntegerField()
    logged_days = serializers.IntegerField(help_text="Days with anything logged; the others are unknown.")
    nights = serializers.IntegerField()
    known_nights = serializers.IntegerField(
        help_text="Nights before each morning of the week with a night cramp logged or a morning answer."
    )
    cramp_nights = serializers.IntegerField(help_text="Of the known nights; an unknown night is not calm.")
    stockings_days = serializers.IntegerField(help_text="Days with stockings logged.")
    fluid_known_days = serializers.IntegerField(help_text="Days with at least one drink logged.")
    fluid_target_days = serializers.IntegerField(help_text="Of those, days at or over the fluid target.")


class WeeklySummarySerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The local date the week ends on.")
    timezone = serializers.CharField(help_text="The patient's zone, whose dates these are.")
    title = serializers.CharField()
    has_content = serializers.BooleanField(help_text="False: nothing was logged in the two weeks.")
    sentences = serializers.ListField(child=serializers.CharField(), help_text="The summary in plain words.")
    this_week = WeekFiguresSerializer()
    week_before = WeekFiguresSerializer()
    fluid_target_ml = serializers.IntegerField()
    new_insights = inline_serializer(
        "NewInsight",
        {"code": serializers.CharField(), "level": serializers.CharField(), "title": serializers.CharField()},
        many=True,
        help_text="Insights that hold at the week's end and did not a week before.",
    )


class WeeklySummaryViewSet(viewsets.ViewSet):
    """The weekly word, for the patient: what the weekly summary's notification opens."""

    permission_classes = [IsPatient]

    @extend_schema(
        parameters=[
            OpenApiParameter("week", str, description="YYYY-MM-DD, the week's last day; today by default.")
        ],
        responses=WeeklySummarySerializer,
    )
    def retrieve(self, request):
        query = WeekQuerySerializer(data=request.query_params, context={"patient": request.user})
        query.is_valid(raise_exception=True)
        summary = weekly_summary(request.user, day=query.validated_data.get("week"))
        return Response(WeeklySummarySerializer(summary).data)


class SubscriptionSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)
    keys = inline_serializer(
        "PushKeys",
        {"p256dh": serializers.CharField(max_length=200), "auth": serializers.CharField(max_length=100)},
        required=False,
    )

    def validate_endpoint(self, value):
        if not push.endpoint_allowed(value):
            raise serializers.ValidationError(_("This is not the address of a known Web Push service."))
        return value


ENDPOINT_TAKEN = gettext_lazy(
    "Notifications in this browser are turned on for another Crampwise account. That account must turn "
    "them off, or sign out in this browser, before they can be turned on for yours."
)


class VapidKeySerializer(serializers.Serializer):
    public_key = serializers.CharField()


class PushViewSet(viewsets.ViewSet):
    """A browser's Web Push subscription: a patient's, for reminders, or a clinician's, for urgent
    alerts. `PushSubscription.patient` is the user it belongs to, whatever the role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: VapidKeySerializer, 503: OpenApiResponse(description="Push is off.")})
    @action(detail=False, methods=["get"], url_path="vapid-key")
    def vapid_key(self, request):
        if not push.is_configured():
            return Response(
                {"detail": _("Push notifications are not set up on this server.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})

    @extend_schema(
        request=SubscriptionSerializer,
        responses={
            201: SubscriptionSerializer,
            204: None,
            409: OpenApiResponse(description="This browser's notifications belong to another account."),
        },
    )
    @action(detail=False, methods=["post", "delete"])
    def subscriptions(self, request):
        body = SubscriptionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = body.validated_data["endpoint"]
        if request.method == "DELETE":
            push_subscriptions.push_subscription_delete(user=request.user, endpoint=endpoint)
            return Response(status=status.HTTP_204_NO_CONTENT)
        keys = body.validated_data.get("keys")
        if not keys:
            return Response({"keys": [_("Send the subscription's p256dh and auth keys.")]}, status=400)
        try:
            push_subscriptions.push_subscription_save(
                user=request.user, endpoint=endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
            )
        except push_subscriptions.EndpointTaken:
            return Response({"endpoint": [ENDPOINT_TAKEN]}, status=status.HTTP_409_CONFLICT)
        return Response(
            {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}},
            status=status.HTTP_201_CREATED,
        )
