"""Accounts over HTTP: register, sign in (session or token), sign out, passwords, profile, erasure."""

import functools
from datetime import date

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from diary import emergency
from diary.api.serializers import ClockTimeField
from diary.api.throttles import AddressRateThrottle
from diary.language import language_asked_for
from diary.limits import FailureLimit
from diary.models import Channel, Language, PressureClass, Role, Theme, User
from diary.nights import is_known_timezone
from diary.selectors.medications import takes_diuretics_now
from diary.services import accounts, sign_in, two_factor


def validate_timezone_name(value: str) -> str:
    if not is_known_timezone(value):
        raise serializers.ValidationError(
            _("%(zone)s is not a known IANA time zone, such as Europe/Berlin or America/New_York.")
            % {"zone": repr(value)}
        )
    return value


EARLIEST_BIRTH = date(1900, 1, 1)


class CountryField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code (any case in, upper case out), checked against the time zone database's
    list; null is "not said"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", "ISO 3166-1 alpha-2, such as DE or US; null: not said (the app shows 112 and 911)."
        )
        super().__init__(max_length=8, **kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data).strip().upper()
        if not emergency.is_country_code(code):
            raise serializers.ValidationError(
                _("%(code)s is not an ISO 3166-1 alpha-2 country code, such as DE, GB or US.")
                % {"code": repr(data)}
            )
        return code


# Lazy: worded when a 400 is written, in the language of whoever gets it. DRF fills in {input!r}.
CHOOSE_LANGUAGE = gettext_lazy("Choose en, de or es (not {input!r}).")


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices)
    timezone = serializers.CharField(max_length=64, validators=[validate_timezone_name])
    display_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    country = CountryField(
        help_text="ISO 3166-1 alpha-2. Left out: guessed from the time zone (null when the zone is of no one "
        "country). null: not said."
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text="Left out: the browser's language (Accept-Language) when it is one of these, else en.",
        error_messages={"invalid_choice": CHOOSE_LANGUAGE},
    )

    def validate_email(self, value):
        value = value.strip().lower()
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError(_("An account with this email already exists."))
        return value

    def validate(self, attrs):
        candidate = User(email=attrs["email"], display_name=attrs.get("display_name", ""))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "role")


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128)
    otp = serializers.CharField(required=False, allow_blank=True, max_length=16)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(write_only=True, max_length=128)

    def validate(self, attrs):
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(attrs["uid"])))
        except (ValueError, TypeError, OverflowError, DjangoValidationError, User.DoesNotExist):
            user = None
        if user is None or not default_token_generator.check_token(user, attrs["token"]):
            raise serializers.ValidationError(
                {"token": [_("This reset link is invalid or has expired. Ask for a new one.")]}
            )
        try:
            password_validation.validate_password(attrs["new_password"], user=user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"new_password": list(exc.messages)}) from exc
        attrs["user"] = user
        return attrs


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(write_only=True, max_length=128)
    new_password = serializers.CharField(write_only=True, max_length=128)

    def validate_new_password(self, value):
        try:
            password_validation.validate_password(value, user=self.context["request"].user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value


DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class CountryGuessQuery(serializers.Serializer):
    timezone = serializers.CharField(max_length=64, required=False, validators=[validate_timezone_name])


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="The usual English name (iso3166.tab); the app shows its own.")
    emergency_number = serializers.CharField(allow_null=True)


class CountriesSerializer(serializers.Serializer):
    guess = serializers.CharField(allow_null=True)
    countries = CountrySerializer(many=True)


def _refused(
    refused: sign_in.SignInRefused, *, password_field: str = "password"
) -> serializers.ValidationError:
    """The 400 naming the field at fault (the password under the name this endpoint gives it)."""
    if refused.field == "detail":
        return serializers.ValidationError({"detail": refused.message})
    field = password_field if refused.field == "password" else refused.field
    return serializers.ValidationError({field: [refused.message]})


def _authenticate_or_fail(request, data) -> User:
    """Check the credentials and, when two-factor sign-in is on, the code (429 after too many failures)."""
    try:
        return sign_in.sign_in_check(
            request=request._request, email=data["email"], password=data["password"], otp=data.get("otp")
        )
    except sign_in.SignInRefused as refused:
        raise _refused(refused) from refused


def _confirm_identity(request, data: dict, *, password_field: str, need_code: bool) -> None:
    """The signed-in person's password (and code), or a 400 naming the field; throttled per person."""
    try:
        sign_in.identity_confirm(
            user=request.user, password=data.get(password_field), otp=data.get("otp"), need_code=need_code
        )
    except sign_in.SignInRefused as refused:
        raise _refused(refused, password_field=password_field) from refused


class AuthViewSet(viewsets.ViewSet):
    """The public auth endpoints: nothing here needs a session, so none is read (and no CSRF applies;
    these accept JSON only, which a cross-site form cannot send)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = None

    def get_throttles(self):
        # Per client address, as every limiter reads it (diary.client_address.client_address).
        scope = {"register": "register", "password_reset": "password_reset"}.get(self.action)
        return [AddressRateThrottle(scope)] if scope else []

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    @action(detail=False, methods=["post"])
    def register(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {"language": language_asked_for(request), **serializer.validated_data}
        user = accounts.user_register(**fields)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: UserSerializer},
        description="Signs in with a session cookie (for the PWA). Also sets the CSRF cookie.",
    )
    @action(detail=False, methods=["post"])
    def login(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _authenticate_or_fail(request, serializer.validated_data)
        accounts.session_login(request=request._request, user=user)
        get_token(request._request)
        return Response(UserSerializer(user).data)

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TokenSerializer},
        description=f"Issues a token for API clients: `Authorization: Token <token>`; valid "
        f"{settings.TOKEN_TTL.days} days, revoked at logout and at a password change.",
    )
    @action(detail=False, methods=["post"])
    def token(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _authenticate_or_fail(request, serializer.validated_data)
        instance, token = accounts.token_issue(user=user)
        return Response({"token": token, "expiry": instance.expiry})

    @extend_schema(request=EmailSerializer, responses={202: DETAIL})
    @action(detail=False, methods=["post"], url_path="password-reset")
    def password_reset(self, request):
        serializer = EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Queued: a known and an unknown address answer alike and as fast, whatever the mail server does.
        accounts.password_reset_request(email=serializer.validated_data["email"])
        return Response(
            {"detail": _("If an account has this address, a reset link is on its way.")},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(request=PasswordResetConfirmSerializer, responses={200: DETAIL})
    @action(detail=False, methods=["post"], url_path="password-reset/confirm")
    def password_reset_confirm(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accounts.password_set(
            user=serializer.validated_data["user"],
            new_password=serializer.validated_data["new_password"],
        )
        return Response({"detail": _("Your password is changed. Sign in with the new one.")})

    @extend_schema(
        parameters=[CountryGuessQuery],
        responses={200: CountriesSerializer},
        description="The country codes the profile accepts (from the time zone database), each with its "
        "emergency number, and the country guessed from `timezone` (null when the zone is of no one "
        "country), for the sign-up form to pre-fill. No patient data.",
    )
    @action(detail=False, methods=["get"])
    def countries(self, request):
        query = CountryGuessQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        zone = query.validated_data.get("timezone")
        names = emergency.country_names()
        return Response(
            {
                "guess": emergency.country_from_timezone(zone) if zone else None,
                "countries": [
                    {"code": code, "name": name, "emergency_number": emergency.emergency_number(code)}
                    for code, name in sorted(names.items())
                ],
            }
        )

    @extend_schema(request=None, responses={200: DETAIL})
    @action(detail=False, methods=["get"])
    def csrf(self, request):
        """Sets the CSRF cookie, for a PWA that starts signed in from an earlier session."""
        get_token(request._request)
        return Response({"detail": _("CSRF cookie set.")})


class SessionViewSet(viewsets.ViewSet):
    """Auth endpoints for someone signed in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"])
    def logout(self, request):
        if request.auth is not None and hasattr(request.auth, "digest"):
            accounts.token_revoke(token=request.auth)
        accounts.session_logout(request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PasswordChangeSerializer, responses={200: DETAIL})
    @action(detail=False, methods=["post"], url_path="password-change")
    def password_change(self, request):
        serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        _confirm_identity(
            request, serializer.validated_data, password_field="current_password", need_code=False
        )
        accounts.password_set(
            user=request.user,
            new_password=serializer.validated_data["new_password"],
            request=request._request,
        )
        return Response(
            {"detail": _("Your password is changed. Every other device and token is signed out.")}
        )


class OtpSerializer(serializers.Serializer):
    otp = serializers.CharField(max_length=16)


class TwoFactorSetupSerializer(serializers.Serializer):
    secret = serializers.CharField(
        help_text="Type this into an authenticator app, or scan the URI as a QR code."
    )
    otpauth_uri = serializers.CharField()


class TwoFactorStateSerializer(serializers.Serializer):
    two_factor_enabled = serializers.BooleanField()


TWO_FACTOR_FAILURES = FailureLimit(
    "two-factor",
    limit=settings.LOGIN_FAILURES_PER_EMAIL,
    window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
)


def _current_credentials(request) -> dict:
    """The session or token this request came with: kept when every other one is ended."""
    token = request.auth if hasattr(request.auth, "digest") else None
    return {"keep_session_key": request.session.session_key, "keep_token": token}


class TwoFactorViewSet(viewsets.ViewSet):
    """Turn two-factor sign-in on (setup, then confirm with a first code) or off (with a code)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TwoFactorSetupSerializer})
    @action(detail=False, methods=["post"])
    def setup(self, request):
        if request.user.totp_enabled:
            return Response(
                {"detail": _("Two-factor sign-in is on already; turn it off first to change the app.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        secret, uri = two_factor.totp_setup(user=request.user)
        return Response({"secret": secret, "otpauth_uri": uri})

    def _with_code(self, request, change) -> Response:
        body = OtpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = str(request.user.pk)
        TWO_FACTOR_FAILURES.attempt(key)
        try:
            change(user=request.user, code=body.validated_data["otp"])
        except two_factor.InvalidCode:
            return Response(
                {"otp": [_("This code is not right or was used already.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        TWO_FACTOR_FAILURES.succeeded(key)
        return Response({"two_factor_enabled": request.user.totp_enabled})

    @extend_schema(request=OtpSerializer, responses={200: TwoFactorStateSerializer})
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        if not request.user.totp_secret:
            return Response({"detail": _("Start with the setup step.")}, status=status.HTTP_400_BAD_REQUEST)
        # Every session and token made before the second factor was asked for ends, but this one.
        confirm = functools.partial(two_factor.totp_confirm, **_current_credentials(request))
        return self._with_code(request, confirm)

    @extend_schema(request=OtpSerializer, responses={200: TwoFactorStateSerializer})
    @action(detail=False, methods=["post"])
    def disable(self, request):
        if not request.user.totp_enabled:
            return Response({"two_factor_enabled": False})
        return self._with_code(request, two_factor.totp_disable)


class ProfileSerializer(serializers.ModelSerializer):
    timezone = serializers.CharField(max_length=64, validators=[validate_timezone_name])
    night_start = ClockTimeField()
    night_end = ClockTimeField()
    quiet_start = ClockTimeField(allow_null=True, required=False)
    quiet_end = ClockTimeField(allow_null=True, required=False)
    compression_class = serializers.ChoiceField(
        choices=PressureClass.choices, allow_null=True, required=False
    )
    two_factor_enabled = serializers.BooleanField(source="totp_enabled", read_only=True)
    theme = serializers.ChoiceField(
        choices=Theme.choices,
        required=False,
        help_text="The screen colours only: auto is dark in the night window. Never moves a record.",
        error_messages={"invalid_choice": gettext_lazy("Choose auto, light or dark (not {input!r}).")},
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text="Everything shown or sent to this person is in it: the app, insights, reminders, emails, "
        "the PDF.",
        error_messages={"invalid_choice": CHOOSE_LANGUAGE},
    )
    country = CountryField()
    emergency_number = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The general emergency number of the country (diary/emergency.py); null when the country "
        "is unknown or not in the table.",
    )
    date_of_birth = serializers.DateField(allow_null=True, required=False)
    takes_diuretics = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text="null: not said; the rules read it as unknown. Once a diuretic is on the medication "
        "list, the list answers (true while one is not stopped); a PATCH still stores the answer given.",
    )
    previous_dvt = serializers.BooleanField(
        allow_null=True, required=False, help_text="null: not said; the rules read it as unknown."
    )
    onboarded = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="Send true when the first-run questions are finished or skipped: sets onboarded_at once.",
    )
    onboarded_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the first-run questions were finished or skipped; null: the app asks them.",
    )
    alert_channels = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='A clinician\'s: how urgent alerts reach them, ["push"], ["email"] or both (never '
        "neither). A patient's is never used and cannot be set.",
    )

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            "display_name",
            "role",
            "timezone",
            "night_start",
            "night_end",
            "quiet_start",
            "quiet_end",
            "fluid_target_ml",
            "compression_class",
            "takes_diuretics",
            "previous_dvt",
            "theme",
            "language",
            "country",
            "emergency_number",
            "date_of_birth",
            "alert_channels",
            "two_factor_enabled",
            "onboarded",
            "onboarded_at",
        )
        read_only_fields = ("id", "email", "role", "two_factor_enabled", "emergency_number", "onboarded_at")

    def to_representation(self, instance):
        body = super().to_representation(instance)
        if "takes_diuretics" in body:
            body["takes_diuretics"] = takes_diuretics_now(instance)
        return body

    def validate_date_of_birth(self, value):
        if value is None:
            return value
        today = localdate(timezone=self.instance.zone) if self.instance else date.today()
        if value > today:
            raise serializers.ValidationError(_("A date of birth cannot be in the future."))
        if value < EARLIEST_BIRTH:
            raise serializers.ValidationError(_("Give a date of birth from 1900 on."))
        return value

    def validate_onboarded(self, value):
        if value is not True:
            raise serializers.ValidationError(
                _("Send true once the first-run questions are finished or skipped; they are not asked again.")
            )
        return value

    def validate_alert_channels(self, value):
        if self.instance is None or not self.instance.is_clinician:
            raise serializers.ValidationError(_("Only a clinician chooses how urgent alerts reach them."))
        unknown = sorted({channel for channel in value if channel not in Channel.values})
        if unknown:
            raise serializers.ValidationError(
                _("Choose push, email or both (not %(unknown)s).") % {"unknown": ", ".join(unknown)}
            )
        if not value:
            raise serializers.ValidationError(_("Keep at least one way to be told of urgent warnings."))
        return [channel for channel in (Channel.PUSH.value, Channel.EMAIL.value) if channel in value]

    def validate(self, attrs):
        quiet_start = attrs.get("quiet_start", getattr(self.instance, "quiet_start", None))
        quiet_end = attrs.get("quiet_end", getattr(self.instance, "quiet_end", None))
        if (quiet_start is None) != (quiet_end is None):
            field = "quiet_end" if quiet_end is None else "quiet_start"
            raise serializers.ValidationError(
                {field: [_("Give both ends of the quiet hours, or neither (no quiet hours).")]}
            )
        return attrs


class ProfileViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def retrieve(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def partial_update(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = accounts.profile_update(user=request.user, data=serializer.validated_data)
        return Response(ProfileSerializer(user).data)


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, max_length=128, required=False, allow_blank=True, help_text="The account's password."
    )
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text="The code, when two-factor sign-in is on."
    )


class AccountViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={204: OpenApiResponse(description="The account and all its data are erased.")},
        description="Asks for the password, and the code when two-factor sign-in is on: a session left "
        "open on a shared phone must not be enough to erase a diary. A wrong or missing one is a 400 "
        "naming the field, and nothing is erased.",
    )
    def destroy(self, request):
        body = AccountDeleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _confirm_identity(request, body.validated_data, password_field="password", need_code=True)
        accounts.account_delete(user=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
