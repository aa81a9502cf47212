"""App configuration for the diary, and the admin's, whose site is the diary's own (diary.admin_site)."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DiaryConfig(AppConfig):
    name = "diary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from diary import checks  # noqa: F401  (registers the system checks)


class CrampwiseAdminConfig(admin_apps.AdminConfig):
    """In INSTALLED_APPS in place of django.contrib.admin: staff sign in as everyone does."""

    # Not the diary's own config: without this Django could not tell which of the two `diary` is.
    default = False
    default_site = "diary.admin_site.CrampwiseAdminSite"
