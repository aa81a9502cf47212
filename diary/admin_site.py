"""The Django admin's site: staff sign in through the same checks, limits and session records as the API."""

import math

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm, AdminPasswordChangeForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from rest_framework.exceptions import Throttled

from diary.services import accounts, sign_in

TWO_FACTOR_NEEDED = (
    "Staff must have two-factor sign-in on to use the admin. Turn it on in the app first "
    "(Profile → Two-factor), then sign in here with a code."
)


def wait_message(throttled: Throttled, *, failures: str = "failed sign-ins") -> str:
    minutes = max(1, math.ceil((throttled.wait or 60) / 60))
    return f"Too many {failures}. Wait {minutes} minute{'s' if minutes > 1 else ''}, then try again."


class StaffSignInForm(AdminAuthenticationForm):
    """Email, password and, when the account has two-factor sign-in on, the code: sign_in.sign_in_check,
    so that every attempt counts against the API's limits too."""

    otp = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=16,
        help_text="Needed when two-factor sign-in is on for your account.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {**AdminAuthenticationForm.error_messages, "two_factor_needed": TWO_FACTOR_NEEDED}

    @sensitive_variables("password", "otp")
    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        otp = self.cleaned_data.get("otp") or None
        if email is None or not password:
            return self.cleaned_data
        try:
            self.user_cache = sign_in.sign_in_check(
                request=self.request, email=email, password=password, otp=otp
            )
        except Throttled as throttled:
            raise ValidationError(wait_message(throttled), code="throttled") from None
        except sign_in.SignInRefused as refused:
            if refused.field == "otp":
                raise ValidationError({"otp": refused.message}) from None
            raise self.get_invalid_login_error() from None
        # Only now, past the password: a stranger learns nothing of who is staff or has two-factor on.
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)  # active, and staff (as Django's admin asks)
        if settings.REQUIRE_STAFF_2FA and not user.totp_enabled:
            raise ValidationError(self.error_messages["two_factor_needed"], code="two_factor_needed")


class StaffLoginView(LoginView):
    def get_default_redirect_url(self):
        # With no `next`, or one pointing off this site, the admin's index (not LOGIN_REDIRECT_URL).
        return reverse("admin:index")

    def form_valid(self, form):
        # A recorded session: listed with the user's others, and ended by a new password, a two-factor
        # reset and sign_out_everywhere.
        accounts.session_login(request=self.request, user=form.get_user())
        return HttpResponseRedirect(self.get_success_url())


class StaffLogoutView(LogoutView):
    def post(self, request, *args, **kwargs):
        accounts.session_logout(request=request)
        redirect_to = self.get_success_url()
        if redirect_to != request.get_full_path():
            return HttpResponseRedirect(redirect_to)
        return self.get(request, *args, **kwargs)


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """The current password is checked as the API checks it: wrong guesses count, and stop at the limit."""

    @sensitive_variables("old_password")
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        try:
            sign_in.identity_confirm(user=self.user, password=old_password, need_code=False)
        except Throttled as throttled:
            raise ValidationError(
                wait_message(throttled, failures="wrong passwords"), code="throttled"
            ) from None
        except sign_in.SignInRefused:
            incorrect = self.error_messages["password_incorrect"]
            raise ValidationError(incorrect, code="password_incorrect") from None
        return old_password


class StaffPasswordChangeView(PasswordChangeView):
    def form_valid(self, form):
        # As through the API: every token and every other session of the user ends.
        accounts.password_set(
            user=form.user, new_password=form.cleaned_data["new_password1"], request=self.request
        )
        return HttpResponseRedirect(self.get_success_url())


class CrampwiseAdminSite(admin.AdminSite):
    """Django's admin site, with the sign-in, sign-out and password change of everyone else."""

    login_form = StaffSignInForm

    def has_permission(self, request):
        # A staff session opened elsewhere (the PWA's sign-in) does not skip the rule either.
        if settings.REQUIRE_STAFF_2FA and not getattr(request.user, "totp_enabled", False):
            return False
        return super().has_permission(request)

    # Django's own views, as in AdminSite, with the view classes above.

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return StaffLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )(request)

    def logout(self, request, extra_context=None):
        defaults = {
            "extra_context": {
                **self.each_context(request),
                "has_permission": False,  # not signed out yet while the page is built
                **(extra_context or {}),
            },
        }
        if self.logout_template is not None:
            defaults["template_name"] = self.logout_template
        request.current_app = self.name
        return StaffLogoutView.as_view(**defaults)(request)

    def password_change(self, request, extra_context=None):
        defaults = {
            "form_class": StaffPasswordChangeForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return StaffPasswordChangeView.as_view(**defaults)(request)
