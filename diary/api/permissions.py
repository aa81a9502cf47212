"""Who may call what: patients own their diary; clinicians read only what was shared with them."""

from rest_framework.permissions import BasePermission


class IsPatient(BasePermission):
    message = "Only a patient account can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_patient)


class IsClinician(BasePermission):
    message = "Only a clinician account can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_clinician)
