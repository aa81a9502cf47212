"""The server's catalogues (diary/locale): every marked message is in German and Spanish, translated,
with the same placeholders, and the compiled .mo files say what the .po files say (issue #20)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

DIARY = Path(__file__).resolve().parent.parent / "diary"
MANAGE = DIARY.parent / "manage.py"
LANGUAGES = ["de", "es"]
# %(name)s, %s, %d and {name}: what a translation must keep, each as often as the English has it.
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|%[sdfr]|\{[a-z_0-9]*\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(DIARY / "locale" / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def gathered(tmp_path_factory) -> dict[str, set]:
    """The messages marked in the code now, gathered as `make messages` does, in a copy of diary/."""
    copy = tmp_path_factory.mktemp("messages") / "diary"
    shutil.copytree(DIARY, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(DIARY.parent)}
    languages = [f"-l{lang}" for lang in LANGUAGES]
    command = [sys.executable, str(MANAGE), "makemessages", "--no-obsolete", *languages]
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
    gathered = {}
    for language in LANGUAGES:
        po = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        gathered[language] = {key(e) for e in po if not e.obsolete}
    return gathered


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_message_marked_in_the_code(gathered, language):
    committed = {key(e) for e in catalogue(language) if not e.obsolete}
    missing = gathered[language] - committed
    stale = committed - gathered[language]
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:5]}"
    assert not stale, f"run `make messages` (messages no longer in the code): {sorted(stale)[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:5]
    assert po.metadata.get("Language") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_drops_or_adds_a_placeholder(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            pairs = [(entry.msgid if n == 0 else entry.msgid_plural, forms[n]) for n in sorted(forms)]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        wrong += [(english, text) for english, text in pairs if placeholders(english) != placeholders(text)]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue_with_its_format_checks(language):
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) is missing")
        pytest.skip("msgfmt (GNU gettext) is not installed")
    po = DIARY / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    mo = polib.mofile(str(DIARY / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in mo if e.msgid}
    written = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in catalogue(language).translated_entries()}
    assert compiled == written, "run `make messages` to compile the .mo files"
