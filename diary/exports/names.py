"""Export file names: the patient's name and local date ("crampwise-alice-smith-2026-12-03.csv")."""

import unicodedata
from datetime import date, datetime
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import pgettext

from diary.models import User

# Long enough for a first and a last name; a file name of a hundred characters helps nobody.
MAX_NAME_CHARACTERS = 40
# Letters that Unicode does not decompose into a base letter and an accent, spelled as people type them
# without the key (ß is "ss" in German, not "", as dropping it would make "Groß" "gro").
ASCII_SPELLINGS = str.maketrans(
    {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d",
     "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip
# Apostrophes join a word rather than end it: "O'Brien" is "obrien".
APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc")


def _words(text: str) -> list[str]:
    """Runs of letters, combining marks (Devanagari vowel signs, say) and digits; all else breaks a word."""
    words, word = [], ""
    for character in text.translate(APOSTROPHES).lower():
        if unicodedata.category(character)[0] in "LMN":
            word += character
        elif word:
            words.append(word)
            word = ""
    return [*words, word] if word else words


def _shortened(words: list[str]) -> str:
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_NAME_CHARACTERS:
            return slug or word[:MAX_NAME_CHARACTERS]
        slug = candidate
    return slug


def name_slugs(name: str) -> tuple[str, str]:
    """The name as a file-name word: ASCII only ("jose-muller"), and with its own letters ("josé-müller")."""
    composed = unicodedata.normalize("NFC", name)
    ascii_only = unicodedata.normalize("NFKD", composed.translate(ASCII_SPELLINGS))
    ascii_only = ascii_only.encode("ascii", "ignore").decode()
    return _shortened(_words(ascii_only)), _shortened(_words(composed))


def export_filenames(patient: User, *, extension: str, now: datetime | None = None) -> tuple[str, str]:
    """(ASCII name, Unicode name) of an export file, dated the patient's local day (not the server's).

    Named by the display name; where it has no ASCII letters or digits (none given, emoji only, another
    script: the Unicode name keeps those), by the part of the email address before the "@"; else "patient"
    in the reader's language ("patientin-patient" in German)."""
    day: date = timezone.localtime(now or timezone.now(), patient.zone).date()
    ascii_slug, unicode_slug = name_slugs(patient.display_name)
    by_address, _ = name_slugs(patient.email.split("@")[0])
    ascii_slug = (
        ascii_slug or by_address or name_slugs(pgettext("a file name's word", "patient"))[0] or "patient"
    )
    unicode_slug = unicode_slug or ascii_slug
    return (
        f"crampwise-{ascii_slug}-{day.isoformat()}.{extension}",
        f"crampwise-{unicode_slug}-{day.isoformat()}.{extension}",
    )


def content_disposition(ascii_name: str, unicode_name: str) -> str:
    """An attachment header: `filename` for every client, and RFC 6266's `filename*` (UTF-8,
    percent-encoded, RFC 8187) when the name has letters beyond ASCII."""
    # The ASCII name is made of [a-z0-9-.] only; the quotes and backslashes are escaped all the same.
    plain = ascii_name.replace("\\", "\\\\").replace('"', '\\"')
    header = f'attachment; filename="{plain}"'
    if unicode_name != ascii_name:
        header += f"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    return header
