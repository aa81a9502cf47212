"""Who may call what: patients own their diary; clinicians read only what was shared with them."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission


class IsPatient(BasePermission):
    message = gettext_lazy("Only a patient account can do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_patient)


class IsClinician(BasePermission):
    """A clinician; where the deployment requires it (REQUIRE_CLINICIAN_2FA), one with two-factor on."""

    message = gettext_lazy("Only a clinician account can do this.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_clinician):
            return False
        if settings.REQUIRE_CLINICIAN_2FA and not user.totp_enabled:
            self.message = _("Turn on two-factor sign-in (Profile) before you open patients' diaries.")
            return False
        return True
