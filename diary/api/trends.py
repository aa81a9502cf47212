"""Trends, insights and the claudication questionnaire: the patient's own, and a linked clinician's view."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from diary import claudication, insights, selectors
from diary.api.permissions import IsClinician, IsPatient
from diary.api.serializers import ClinicianInsightSerializer, InsightSerializer
from diary.models import Acknowledgement, ClaudicationAnswer, CrampEpisode
from diary.selectors.alerts import acknowledgements_of
from diary.selectors.facts import patient_facts
from diary.selectors.trends import MAX_DAYS, trends_and_facts
from diary.services import alerts
from diary.services.questionnaires import claudication_record
from diary.services.sharing import access_log_write

# The questionnaire is offered again this long after the last answer, if walking cramps go on.
QUESTIONNAIRE_INTERVAL = timedelta(days=90)


class DaysSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=90)


class TrendDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    logged = serializers.BooleanField(
        help_text="Anything logged this local day: a cramp, check-in, compression wear (on the day put on), "
        "drink, elevation or factor entry. A day with nothing logged is unknown: draw it as a gap, not as "
        "zeros. A medicine's start is not an entry of its day (see medications)."
    )
    cramps = serializers.IntegerField(help_text="Cramp episodes whose local date is this day, day and night.")
    nocturnal_cramps = serializers.IntegerField(
        help_text="Nocturnal cramp episodes (woke the patient, while sleeping, or started in the night "
        "window, its end minute outside) by local date, not by night: a cramp at 03:00 on D + 1 counts here "
        "on D + 1 and belongs to night D (cramp_night of day D). Logged episodes only: a morning's 'some' "
        "adds none."
    )
    exertion_cramps = serializers.IntegerField(
        help_text="Cramps while walking or exercising (a cramp whose activity was not said is not one)."
    )
    max_severity = serializers.IntegerField(
        allow_null=True, help_text="Over the cramps whose severity was said; null when none was."
    )
    cramp_minutes = serializers.FloatField(
        allow_null=True, help_text="Over the cramps whose duration was said; null when cramps had none said."
    )
    compression_hours = serializers.FloatField()
    elevation_minutes = serializers.IntegerField()
    fluid_ml = serializers.IntegerField(
        allow_null=True, help_text="null: no drink logged that day (unknown)."
    )
    swelling_max = serializers.IntegerField(
        allow_null=True, help_text="Over the answered swelling levels; null when none was answered."
    )
    heaviness_max = serializers.IntegerField(
        allow_null=True, help_text="Over the answered heaviness scores; null when none was answered."
    )
    swelling_left_max = serializers.IntegerField(allow_null=True)
    swelling_right_max = serializers.IntegerField(allow_null=True)
    circumference_left_cm = serializers.FloatField(allow_null=True)
    circumference_right_cm = serializers.FloatField(allow_null=True)
    cramp_night = serializers.BooleanField(
        help_text="Night D (from 12:00 local on D to 12:00 on D + 1) was a cramp night: a nocturnal cramp "
        "was logged in it, or the morning check-in of D + 1 answered 'cramps last night: some' (a night "
        "known only from that answer counts, as in venous_evaluation's 'cramps on 8 nights')."
    )
    night_observed = serializers.BooleanField(
        help_text="Night D is known: a night cramp was logged for it, or the morning of D + 1 answered "
        "'cramps last night' (none or some). A night not observed is unknown, not cramp-free."
    )
    factors = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="The names of the patient's own factors logged this local day, each once; [] on a logged "
        "day with none; null on a day with nothing logged (unknown).",
    )


class TrendMedicationSerializer(serializers.Serializer):
    name = serializers.CharField()
    drug_class = serializers.CharField()
    dose = serializers.CharField(help_text='As the patient wrote it; "" when not given.')
    started_on = serializers.DateField()
    stopped_on = serializers.DateField(allow_null=True, help_text="null: still taken.")


class TrendWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    days = serializers.IntegerField(help_text="Days of this week inside the range.")
    logged_days = serializers.IntegerField(help_text="Days of this week with anything logged.")
    observed_nights = serializers.IntegerField(
        help_text="Nights of this week that are known (see days[].night_observed). With 0, the week's "
        "cramp nights are unknown, not zero: draw a gap."
    )
    cramp_nights = serializers.IntegerField(
        help_text="The nights D of this week's days that were cramp nights (days[].cramp_night)."
    )
    cramps = serializers.IntegerField()
    exertion_cramps = serializers.IntegerField(help_text="Cramps while walking or exercising.")
    compression_days = serializers.IntegerField(help_text="Days with at least 8 hours of compression.")
    mean_fluid_ml = serializers.IntegerField(allow_null=True)
    swelling_days = serializers.IntegerField()


class AssociationGroupSerializer(serializers.Serializer):
    nights = serializers.IntegerField()
    cramp_nights = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    first_night = serializers.DateField(allow_null=True)
    last_night = serializers.DateField(allow_null=True)


class AssociationSerializer(serializers.Serializer):
    groups = serializers.DictField(child=AssociationGroupSerializer())


class TrendsSerializer(serializers.Serializer):
    days = TrendDaySerializer(many=True)
    weeks = TrendWeekSerializer(many=True)
    medications = TrendMedicationSerializer(
        many=True,
        help_text="The medicines taken at some time in the range (started by its last day, not stopped "
        "before its first), oldest start first.",
    )
    diary_started_on = serializers.DateField(
        allow_null=True,
        help_text="The local date of the patient's first diary entry, ever; null when nothing was logged. "
        'Days and weeks before it are before the diary began: gaps, not zeros ("not enough diary yet").',
    )
    last_entry_at = serializers.DateTimeField(
        allow_null=True,
        help_text="The time of the latest diary record, ever (as the clinician's list has it); null when "
        "nothing was logged. Show it in the patient's zone, labelled.",
    )
    associations = inline_serializer(
        "Associations",
        {"compression": AssociationSerializer(), "hydration": AssociationSerializer()},
        help_text="The rules' 28 nights (local nights today-28 .. today-1, night D following day D): "
        "cramp-night rates after days with compression >= 8 h ('worn') and with none ('none'), and under or "
        "at the fluid target ('under', 'at_or_over'), over observed nights only. An association, not proof.",
    )


def trends_body(patient, request) -> dict:
    chosen = DaysSerializer(data=request.query_params)
    chosen.is_valid(raise_exception=True)
    # One `now` and one set of per-day reads for both: the facts share the trend's (see trends_and_facts).
    body, facts = trends_and_facts(patient, days=chosen.validated_data["days"])
    body["associations"] = {
        name: {"groups": {group: rate.as_evidence() for group, rate in association(facts).items()}}
        for name, association in (
            ("compression", insights.compression_association),
            ("hydration", insights.hydration_association),
        )
    }
    # Already plain data: the serializer documents the shape (schema) but would cost a field call per
    # value, ten thousands of them for ten years of days.
    return body


def insight_items(patient, *, for_clinician: bool = False) -> list[dict]:
    """The patient's insights now; an urgent one carries the patient's current answer to it (null:
    none, or one that a newer urgent check-in superseded), the others always null. For a clinician,
    each also has its clinician wording."""
    found = insights.evaluate(patient_facts(patient))
    items = [insight.as_dict() for insight in found]
    if for_clinician:
        for item, insight in zip(items, found, strict=True):
            zone = patient.timezone
            item["clinician_explanation"] = insights.clinician_explanation(insight, time_zone=zone)
    urgent = [item for item in items if item["level"] == "urgent"]
    answers = acknowledgements_of(patient=patient) if urgent else {}
    for item in items:
        answer = answers.get(item["code"]) if item["level"] == "urgent" else None
        item["acknowledged_at"] = answer.acknowledged_at if answer else None
        item["acknowledgement"] = answer.action if answer else None
    return items


def insights_body(patient) -> list:
    return InsightSerializer(insight_items(patient), many=True).data


class AcknowledgeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="The code of one of your urgent insights.")
    action = serializers.ChoiceField(
        choices=Acknowledgement.choices,
        error_messages={"invalid_choice": gettext_lazy("Choose got_help or seen_doctor (not {input!r}).")},
    )


def clinician_insights_body(patient) -> list:
    """The insights as the patient's list has them, each with its clinician wording beside it."""
    return ClinicianInsightSerializer(insight_items(patient, for_clinician=True), many=True).data


DAYS_PARAMETER = OpenApiParameter("days", int, description="1 to 3650; 90 when left out.")


class TrendsViewSet(viewsets.ViewSet):
    permission_classes = [IsPatient]

    @extend_schema(parameters=[DAYS_PARAMETER], responses=TrendsSerializer)
    def trends(self, request):
        return Response(trends_body(request.user, request))

    @extend_schema(
        responses=InsightSerializer(many=True),
        description="A plain list (not paginated), most urgent first. Decision support, not a diagnosis.",
    )
    def insights(self, request):
        return Response(insights_body(request.user))

    @extend_schema(request=AcknowledgeSerializer, responses=InsightSerializer)
    def acknowledge(self, request):
        """The patient's "I got help" or "I have seen a doctor" on an urgent insight: recorded, shown to
        the linked clinicians; a newer urgent check-in of the same warning shows it in full again."""
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = body.validated_data["code"]
        # The urgent insights she has now; their earlier answers are not needed: this one replaces them.
        found = insights.evaluate(patient_facts(request.user))
        urgent = {i.code: i.as_dict() for i in found if i.level == "urgent"}
        try:
            answer = alerts.insight_acknowledge(
                patient=request.user, code=code, action=body.validated_data["action"], current_codes=urgent
            )
        except alerts.NotAnUrgentInsight:
            return Response(
                {"code": [_("You have no urgent warning of this kind just now.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        item = {**urgent[code], "acknowledged_at": answer.acknowledged_at, "acknowledgement": answer.action}
        return Response(InsightSerializer(item).data)


class ClinicianTrendsViewSet(viewsets.ViewSet):
    """A linked patient's trends and insights, as the patient sees them. Every read is logged."""

    permission_classes = [IsClinician]

    @extend_schema(parameters=[DAYS_PARAMETER], responses=TrendsSerializer)
    def trends(self, request, patient_id=None):
        patient = selectors.linked_patient(clinician=request.user, patient_id=patient_id)
        body = trends_body(patient, request)
        access_log_write(patient=patient, clinician=request.user, action="read trends")
        return Response(body)

    @extend_schema(responses=ClinicianInsightSerializer(many=True))
    def insights(self, request, patient_id=None):
        patient = selectors.linked_patient(clinician=request.user, patient_id=patient_id)
        body = clinician_insights_body(patient)
        access_log_write(patient=patient, clinician=request.user, action="read insights")
        return Response(body)


class ClaudicationSerializer(serializers.ModelSerializer):
    walking_pain = serializers.ChoiceField(
        choices=claudication.WALKING_PAIN, help_text=claudication.QUESTIONS["walking_pain"]
    )
    pain_starts_at_rest = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=claudication.QUESTIONS["pain_starts_at_rest"]
    )
    pain_uphill_or_hurrying = serializers.ChoiceField(
        choices=claudication.UPHILL,
        required=False,
        allow_blank=True,
        default="",
        help_text=claudication.QUESTIONS["pain_uphill_or_hurrying"],
    )
    pain_ordinary_pace = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=claudication.QUESTIONS["pain_ordinary_pace"]
    )
    pain_when_standing_still = serializers.ChoiceField(
        choices=claudication.STANDING_STILL,
        required=False,
        allow_blank=True,
        default="",
        help_text=claudication.QUESTIONS["pain_when_standing_still"],
    )
    locations = serializers.ListField(
        child=serializers.ChoiceField(choices=claudication.LOCATIONS),
        required=False,
        default=list,
        max_length=len(claudication.LOCATIONS),
        help_text=claudication.QUESTIONS["locations"],
    )

    class Meta:
        model = ClaudicationAnswer
        fields = (
            "id",
            "answered_at",
            "walking_pain",
            "pain_starts_at_rest",
            "pain_uphill_or_hurrying",
            "pain_ordinary_pace",
            "pain_when_standing_still",
            "locations",
            "result",
            "grade",
        )
        read_only_fields = ("id", "answered_at", "result", "grade")

    def validate(self, attrs):
        if attrs["walking_pain"] == "yes":
            missing = [
                name
                for name in ("pain_starts_at_rest", "pain_uphill_or_hurrying", "pain_when_standing_still")
                if attrs.get(name) in (None, "")
            ]
            if missing:
                raise serializers.ValidationError(
                    {name: [_("Please answer this question.")] for name in missing}
                )
        return attrs


class ClaudicationOfferSerializer(serializers.Serializer):
    offered = serializers.BooleanField()
    walking_cramps_28d = serializers.IntegerField()
    questions = serializers.DictField(child=serializers.CharField())
    latest = ClaudicationSerializer(allow_null=True)


class ClaudicationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The Edinburgh Claudication Questionnaire: answer it, see past answers, and whether it is offered."""

    serializer_class = ClaudicationSerializer
    permission_classes = [IsPatient]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClaudicationAnswer.objects.none()
        return ClaudicationAnswer.objects.filter(patient=self.request.user).order_by("-answered_at")

    def create(self, request):
        answers = ClaudicationSerializer(data=request.data)
        answers.is_valid(raise_exception=True)
        answer = claudication_record(patient=request.user, answers=answers.validated_data)
        return Response(ClaudicationSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ClaudicationOfferSerializer)
    @action(detail=False, methods=["get"])
    def offer(self, request):
        """Offered when cramps while walking or exercising appear and it was not answered lately."""
        now = timezone.now()
        walking = CrampEpisode.objects.filter(
            patient=request.user,
            activity__in=("walking", "exercising"),
            started_at__gte=now - timedelta(days=28),
        ).count()
        latest = self.get_queryset().first()
        recently_answered = latest is not None and now - latest.answered_at < QUESTIONNAIRE_INTERVAL
        body = {
            "offered": walking > 0 and not recently_answered,
            "walking_cramps_28d": walking,
            "questions": claudication.QUESTIONS,
            "latest": latest,
        }
        return Response(ClaudicationOfferSerializer(body).data)
