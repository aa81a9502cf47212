"""Why a reminder was skipped or not delivered, in the patient's words and language.

A delivery's stored `reason` is the operator's record (English, with the push service's status or the
exception's type); the patient's reminders list shows this wording of it instead.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.zones import moment_words

# The reasons the dispatcher and the sender write, by how they begin (diary/services/reminders.py,
# deliveries.py, diary/push.py), each with what the patient is told. First match wins.
WORDS_BY_START = (
    ("quiet hours", gettext_lazy("Not sent: it fell in your quiet hours.")),
    ("check-in already logged today", gettext_lazy("Not needed: you had already done today's check-in.")),
    (
        "check-in already logged this evening",
        gettext_lazy("Not needed: you had already done a check-in this evening."),
    ),
    ("stockings already on", gettext_lazy("Not needed: your stockings were already on.")),
    ("stockings already off", gettext_lazy("Not needed: your stockings were already off.")),
    (
        "elevation target already met",
        gettext_lazy("Not needed: you had already reached today's elevation goal."),
    ),
    ("fluid target already met", gettext_lazy("Not needed: you had already reached today's drinking goal.")),
    (
        "nothing to say",
        gettext_lazy("Not sent: nothing was logged in the two weeks, so there was nothing to sum up."),
    ),
    (
        "no push subscription",
        gettext_lazy("Not delivered: no phone has notifications from Crampwise turned on."),
    ),
    ("subscription gone", gettext_lazy("Not delivered: the phone that had notifications turned them off.")),
    (
        "the push endpoint is not",
        gettext_lazy("Not delivered: the phone's notification service is not one we send to."),
    ),
    (
        "the subscription's keys",
        gettext_lazy(
            "Not delivered: the phone's notification settings cannot be used. "
            "Turn notifications off and on again."
        ),
    ),
    ("email:", gettext_lazy("Not delivered: the email could not be sent.")),
    (
        "interrupted while sending",
        gettext_lazy("Interrupted while sending, and not sent again so that you do not get it twice."),
    ),
)


def reason_words(reason: str, *, status: str, scheduled_for: datetime, zone_name: str) -> str:
    """What the patient reads for a delivery's stored reason ("" when there is none)."""
    if not reason:
        return ""
    if reason.startswith("late:"):
        # Said on the patient's own clock, from the delivery's own time rather than the stored words.
        return _("Not sent: it was due at %(moment)s, while the reminder service was not running.") % {
            "moment": moment_words(scheduled_for, zone_name)
        }
    for start, words in WORDS_BY_START:
        if reason.startswith(start):
            return str(words)
    # The push service was busy, unreachable or refused, tries ran out, the server lacks push keys: to
    # the patient these are one thing, and the operator's record keeps which.
    if status == "skipped":
        return _("Not sent.")
    return _("Not delivered: the notification could not be sent. Reminders keep trying at their next time.")
