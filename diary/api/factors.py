"""The patient's own factor tags (/api/v1/factors/, not paginated), and a linked clinician's read of them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from diary import selectors
from diary.api.permissions import IsClinician, IsPatient
from diary.api.records import UUID_PATTERN
from diary.models import FACTOR_NAME_MAX_LENGTH, Factor
from diary.selectors.medications import factors_of
from diary.services import factors
from diary.services.sharing import access_log_write

NAME_TAKEN = gettext_lazy("You already have this one.")


class FactorSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(
        required=False, help_text="Client-chosen UUID v4; replaying a create with it is safe."
    )
    name = serializers.CharField(
        max_length=FACTOR_NAME_MAX_LENGTH,
        help_text="Unique per patient whatever its case; surrounding spaces are trimmed.",
    )

    class Meta:
        model = Factor
        fields = ("id", "name")

    def validate_id(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError(_("The id of a factor cannot be changed."))
        return value


class WithEntriesSerializer(serializers.Serializer):
    with_entries = serializers.BooleanField(required=False, default=False)


IN_USE = OpenApiResponse(
    inline_serializer(
        "FactorInUse", {"detail": serializers.CharField(), "entries": serializers.IntegerField()}
    ),
    description="The factor carries entries: send ?with_entries=true to delete them with it.",
)
ID_TAKEN = OpenApiResponse(
    inline_serializer("FactorIdConflict", {"id": serializers.ListField(child=serializers.CharField())}),
    description="The id is already used by another factor.",
)


class FactorViewSet(viewsets.GenericViewSet):
    """The patient's own tags: list (all of them, by name), create, rename (PATCH), delete."""

    permission_classes = [IsPatient]
    serializer_class = FactorSerializer
    pagination_class = None
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return factors_of(patient=self.request.user)

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        responses={
            201: FactorSerializer,
            200: OpenApiResponse(FactorSerializer, description="A replay of an earlier create."),
            409: ID_TAKEN,
        }
    )
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            factor, created = factors.factor_create(
                patient=request.user, name=data["name"], factor_id=data.get("id")
            )
        except factors.FactorNameTaken:
            raise ValidationError({"name": [NAME_TAKEN]}) from None
        except factors.FactorIdConflict:
            return Response(
                {"id": [_("This id is already used by another factor.")]}, status=status.HTTP_409_CONFLICT
            )
        return Response(
            self.get_serializer(factor).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def partial_update(self, request, pk=None):
        factor = self.get_object()
        serializer = self.get_serializer(factor, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            try:
                factor = factors.factor_rename(factor=factor, name=serializer.validated_data["name"])
            except factors.FactorNameTaken:
                raise ValidationError({"name": [NAME_TAKEN]}) from None
        return Response(self.get_serializer(factor).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "with_entries", bool, description="true: delete the entries that carry it too, in one go."
            )
        ],
        responses={204: None, 409: IN_USE},
    )
    def destroy(self, request, pk=None):
        factor = self.get_object()
        options = WithEntriesSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        try:
            factors.factor_delete(factor=factor, with_entries=options.validated_data["with_entries"])
        except factors.FactorInUse as in_use:
            detail = ngettext(
                "%(count)s entry carries this factor. Delete with ?with_entries=true to delete the factor "
                "and its entries together, or keep it.",
                "%(count)s entries carry this factor. Delete with ?with_entries=true to delete the factor "
                "and its entries together, or keep it.",
                in_use.entries,
            ) % {"count": in_use.entries}
            return Response(
                {
                    "detail": detail,
                    "entries": in_use.entries,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClinicianFactorViewSet(viewsets.GenericViewSet):
    """A linked patient's factor tags, read-only, as the patient's own list. Logged."""

    permission_classes = [IsClinician]
    serializer_class = FactorSerializer
    pagination_class = None

    def list(self, request, patient_id=None):
        patient = selectors.linked_patient(clinician=request.user, patient_id=patient_id)
        body = self.get_serializer(factors_of(patient=patient), many=True).data
        access_log_write(patient=patient, clinician=request.user, action="read factors")
        return Response(body)
