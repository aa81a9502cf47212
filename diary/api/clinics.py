"""Clinics over HTTP: my clinics, their members and roles, invitations, and a clinic ending a link.

Every clinic route answers 404 to anyone not a member of that clinic (its existence is not told), and
403 to a member who is not an admin where an admin is needed; patients get 403 (clinicians only).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from diary import selectors
from diary.api.permissions import IsClinician
from diary.api.serializers import (
    ClinicInviteAcceptSerializer,
    ClinicInviteCreatedSerializer,
    ClinicInviteLookupSerializer,
    ClinicInviteSerializer,
    ClinicMemberSerializer,
    ClinicPendingInviteSerializer,
    ClinicRoleSerializer,
    ClinicSerializer,
)
from diary.models import ClinicMembership, ClinicRole
from diary.services import clinics


def _membership(request, clinic_id, *, admin: bool = False) -> ClinicMembership:
    membership = selectors.membership_in(clinic_id=clinic_id, user=request.user)
    if admin and membership.role != ClinicRole.ADMIN:
        raise PermissionDenied(_("Only the clinic's admins can do this."))
    return membership


def _refused(exc: clinics.ClinicRefused) -> Response:
    return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)


class ClinicViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]

    @extend_schema(responses=ClinicSerializer(many=True))
    def list(self, request):
        """The clinics I belong to, with my role in each (not paginated: a clinician has few)."""
        return Response(ClinicSerializer(selectors.clinic_memberships_of(user=request.user), many=True).data)


class ClinicMemberViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]

    @extend_schema(responses=ClinicMemberSerializer(many=True))
    def list(self, request, clinic_id):
        membership = _membership(request, clinic_id)
        return Response(
            ClinicMemberSerializer(selectors.members_of(clinic=membership.clinic), many=True).data
        )

    def _member(self, mine: ClinicMembership, user_id) -> ClinicMembership:
        return selectors.membership_in(clinic_id=mine.clinic_id, user=user_id)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, clinic_id, user_id):
        """An admin removes a member, or a member leaves; the clinic's last admin cannot."""
        mine = _membership(request, clinic_id)
        if user_id != request.user.pk and mine.role != ClinicRole.ADMIN:
            raise PermissionDenied(_("Only the clinic's admins can remove members."))
        member = self._member(mine, user_id)
        try:
            clinics.clinic_member_remove(membership=member)
        except clinics.ClinicRefused as exc:
            return _refused(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ClinicRoleSerializer, responses=ClinicMemberSerializer)
    def partial_update(self, request, clinic_id, user_id):
        """An admin changes a member's role; the clinic's last admin stays admin."""
        mine = _membership(request, clinic_id, admin=True)
        member = self._member(mine, user_id)
        body = ClinicRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            member = clinics.clinic_member_role_set(membership=member, role=body.validated_data["role"])
        except clinics.ClinicRefused as exc:
            return _refused(exc)
        return Response(ClinicMemberSerializer(member).data)


class ClinicInviteViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]

    @extend_schema(request=ClinicInviteSerializer, responses={201: ClinicInviteCreatedSerializer})
    def create(self, request, clinic_id):
        """An admin invites an address; the email with a one-time link (7 days) is sent by a worker."""
        mine = _membership(request, clinic_id, admin=True)
        body = ClinicInviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            invite = clinics.clinic_invite(clinic=mine.clinic, invited_by=request.user, **body.validated_data)
        except clinics.ClinicRefused as exc:
            return _refused(exc)
        return Response(ClinicInviteCreatedSerializer(invite).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ClinicPendingInviteSerializer(many=True))
    def list(self, request, clinic_id):
        """An admin's list of the clinic's pending invitations (not accepted, not expired), newest first;
        not paginated: a clinic has few at a time."""
        mine = _membership(request, clinic_id, admin=True)
        invites = selectors.pending_invites_of(clinic=mine.clinic, now=timezone.now())
        return Response(ClinicPendingInviteSerializer(invites, many=True).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, clinic_id, invite_id):
        """An admin cancels a pending invitation; its link then answers 400 on accept."""
        mine = _membership(request, clinic_id, admin=True)
        invite = selectors.pending_invite(clinic=mine.clinic, invite_id=invite_id, now=timezone.now())
        clinics.clinic_invite_cancel(invite=invite)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ClinicInviteAcceptSerializer, responses=ClinicInviteLookupSerializer)
    def lookup(self, request):
        """The invitation's clinic, address and role, for the clinician it was sent to, before they join
        (a POST: the token stays out of the URLs servers log). Anyone else gets 404, not the clinic."""
        body = ClinicInviteAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        digest = clinics.invite_digest(body.validated_data["token"])
        invite = selectors.invite_addressed_to(user=request.user, digest=digest)
        refusal = clinics.invite_refusal(invite, now=timezone.now())
        if refusal is not None:
            return _refused(refusal)
        return Response(ClinicInviteLookupSerializer(invite).data)

    @extend_schema(request=ClinicInviteAcceptSerializer, responses=ClinicSerializer)
    def accept(self, request):
        """The signed-in clinician the invite was sent to joins the clinic."""
        body = ClinicInviteAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            membership = clinics.clinic_invite_accept(user=request.user, token=body.validated_data["token"])
        except clinics.ClinicRefused as exc:
            return _refused(exc)
        return Response(ClinicSerializer(membership).data)


class ClinicLinkViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, clinic_id, link_id):
        """An admin ends a patient's link with the clinic; the patient's access log says so."""
        mine = _membership(request, clinic_id, admin=True)
        link = selectors.clinic_link(clinic=mine.clinic, link_id=link_id)
        clinics.clinic_link_end(link=link, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
