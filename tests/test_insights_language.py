"""The insights in German and Spanish (issue #20): the patient's title and explanation, the clinician's
words and the printed evidence of the urgent and advice rules, and the shared wording helpers, each in the
active language with its placeholders filled; English unchanged."""

import re
from datetime import timedelta

import pytest
from django.utils import translation

from diary.insights import (
    ClaudicationFact,
    clinician_explanation,
    evaluate,
    rule_for,
    urgent_for_checkin,
    wording,
)
from diary.insights.associations import NightRate
from tests.test_insight_rules import ago, busy_month, checkin, day_cramp, diary, follow_up_week, local

LANGUAGES = ["de", "es"]
# The rules this module's messages word; the other four are translated elsewhere.
CODES = [
    "emergency_warning",
    "urgent_dvt_warning",
    "venous_evaluation",
    "arterial_evaluation",
    "frequent_severe_cramps",
    "skin_changes",
    "swollen_painful_leg",
    "both_legs_swollen",
    "chest_pain_follow_up",
]
# English words that would show an untranslated message (or piece of one) in a German or Spanish text.
ENGLISH = re.compile(
    r"\b(the|you|your|and|with|of|on|at|night|nights|cramps?|swelling|swollen|leg|legs|not said|check-ins?|"
    r"reported|shown|latest|diagnosis|days?)\b",
    re.IGNORECASE,
)
UNFILLED = re.compile(r"%\(|%s|\{")


def texts(insight, time_zone: str = "America/New_York") -> dict[str, str]:
    """Everything a person reads of an insight: title, explanation, clinician words, printed evidence."""
    return {
        "title": insight.title,
        "explanation": insight.explanation,
        "clinician": clinician_explanation(insight, time_zone=time_zone),
        "printed": rule_for(insight.code).printed_evidence(insight, time_zone),
    }


def busy_texts(language: str, **profile) -> dict[str, dict[str, str]]:
    with translation.override(language):
        found = evaluate(busy_month(**profile)) + evaluate(follow_up_week(**profile))
        return {i.code: texts(i) for i in found if i.code in CODES}


@pytest.fixture(scope="module")
def worded() -> dict[str, dict[str, dict[str, str]]]:
    return {language: busy_texts(language) for language in ["en", *LANGUAGES]}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_text_of_the_rule_is_translated_with_its_placeholders_filled(worded, language, code):
    for part, text in worded[language][code].items():
        assert text != worded["en"][code][part], (part, text)
        assert not UNFILLED.search(text), (part, text)
        assert not ENGLISH.search(text), (part, ENGLISH.search(text).group(), text)


def test_english_is_unchanged_after_another_language_was_active(worded):
    again = busy_texts("en")
    assert again == worded["en"]
    dvt = worded["en"]["urgent_dvt_warning"]
    assert dvt["title"] == "One swollen, painful leg: get medical care today"
    assert dvt["explanation"].startswith(
        "In your check-in on 20 March you reported that your left leg was more swollen than your right leg "
        "(swelling severe against mild; the calf measuring 41.0 cm against 37.0 cm), with pain or tenderness "
        "in the calf, and it started suddenly."
    )
    assert dvt["printed"] == (
        "Left leg more swollen at the check-in of 20 Mar 2026, 14:00 New York time: swelling left 3/3, right "
        "1/3; calf circumference left 41.0 cm, right 37.0 cm; calf pain or tenderness; sudden onset."
    )


def test_the_urgent_texts_say_plainly_to_call_the_emergency_number(worded):
    de, es = worded["de"], worded["es"]
    assert de["emergency_warning"]["title"] == "Brustschmerzen oder Atemnot: Rufen Sie jetzt Hilfe"
    assert "Rufen Sie jetzt den Notruf (zum Beispiel 112 oder 911)." in de["emergency_warning"]["explanation"]
    assert (
        "Llame ahora al número de emergencias (por ejemplo, 112 o 911)."
        in es["emergency_warning"]["explanation"]
    )
    assert (
        "rufen Sie sofort den Notruf (zum Beispiel 112 oder 911)" in de["urgent_dvt_warning"]["explanation"]
    )
    assert (
        "llame enseguida al número de emergencias (por ejemplo, 112 o 911)"
        in es["urgent_dvt_warning"]["explanation"]
    )
    assert de["urgent_dvt_warning"]["explanation"].endswith("Dies ist keine Diagnose.")
    assert es["urgent_dvt_warning"]["explanation"].endswith("Esto no es un diagnóstico.")


def test_the_dvt_words_name_the_leg_the_measures_and_the_date_in_the_language(worded):
    de, es = worded["de"]["urgent_dvt_warning"], worded["es"]["urgent_dvt_warning"]
    assert de["explanation"].startswith(
        "In Ihrer Tagesabfrage vom 20. März haben Sie angegeben: Ihr linkes Bein war stärker geschwollen als "
        "Ihr rechtes (Schwellung stark gegenüber leicht; Wadenumfang 41,0 cm gegenüber 37,0 cm)"
    )
    assert "tiefe Venenthrombose, TVT" in de["explanation"]
    assert es["explanation"].startswith(
        "En su registro diario del 20 de marzo indicó que su pierna izquierda estaba más hinchada que la "
        "derecha (hinchazón intensa frente a leve; perímetro de la pantorrilla de 41,0 cm frente a 37,0 cm)"
    )
    assert "trombosis venosa profunda, TVP" in es["explanation"]
    assert de["clinician"] == (
        "Gemeldet (20. Mär 2026, 14:00 Ortszeit New York): einseitige Schwellung des linken Beins (stark "
        "gegenüber leicht; Wade 41,0 cm gegenüber 37,0 cm), dazu Wadenschmerz oder Druckempfindlichkeit und "
        "plötzlicher Beginn. Hinweis angezeigt, heute ärztliche Hilfe zu holen. Selbstangabe; keine Diagnose."
    )
    # Spanish writes "e" before an i sound: "... en la pantorrilla e inicio brusco".
    assert "con dolor o sensibilidad en la pantorrilla e inicio brusco (20 mar 2026" in es["clinician"]
    assert es["printed"] == (
        "Pierna izquierda más hinchada en el registro diario del 20 mar 2026, 14:00 hora de New York: "
        "hinchazón izquierda 3/3, derecha 1/3; perímetro de la pantorrilla izquierda 41,0 cm, derecha "
        "37,0 cm; dolor o sensibilidad en la pantorrilla; inicio brusco."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_past_report_of_a_painful_calf_is_worded_for_the_past(language):
    report = checkin(ago(3), hour=19, calf_pain_or_tenderness=True, sudden_onset=True, redness_or_warmth=True)
    with translation.override(language):
        (insight,) = urgent_for_checkin(
            report, previous_dvt=True, logged_at=report.recorded_at + timedelta(days=2)
        )
        worded = texts(insight)
    if language == "de":
        assert worded["title"] == (
            "Eine schmerzende Wade am 17. März: Wenn es noch so ist, holen Sie sich heute ärztliche Hilfe"
        )
        assert "(Sie haben nicht angegeben, ob ein Bein geschwollen war)" in worded["explanation"]
        assert "schon einmal ein Blutgerinnsel im Bein" in worded["explanation"]
        assert "Schwellung links keine Angabe, rechts keine Angabe" in worded["printed"]
    else:
        assert (
            worded["title"]
            == "Una pantorrilla dolorosa el 17 de marzo: si sigue así, busque atención médica hoy"
        )
        assert "(no indicó si una pierna estaba hinchada)" in worded["explanation"]
        assert "ya tuvo un coágulo de sangre en la pierna" in worded["explanation"]
        assert "hinchazón izquierda sin indicar, derecha sin indicar" in worded["printed"]
    for text in worded.values():
        assert not UNFILLED.search(text) and not ENGLISH.search(text), text


def test_counts_take_the_plural_of_the_language(worded):
    assert "in 14 Nächten Krämpfe" in worded["de"]["venous_evaluation"]["explanation"]
    assert "tuvo calambres en 14 noches" in worded["es"]["venous_evaluation"]["explanation"]
    # One skin-change check-in: the singular.
    with translation.override("de"):
        (one,) = evaluate(diary(checkins=[checkin(ago(2), skin_changes=True)]))
        assert rule_for(one.code).printed_evidence(one, None) == (
            "Hautveränderungen bei 1 Tagesabfrage angegeben, zuletzt: 18. Mär 2026."
        )
    # Two emergency check-ins: the clinician reads how many.
    twice = diary(
        checkins=[checkin(ago(k), hour=8, sudden_chest_pain_or_breathlessness=True) for k in (0, 1)]
    )
    with translation.override("es"):
        (insight,) = evaluate(twice)
        assert "en 2 registros diarios de los últimos 2 días" in clinician_explanation(
            insight, time_zone="UTC"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_questionnaire_and_walking_cramps_are_worded_together(language):
    answered = ClaudicationFact(answered_at=local(ago(10), 10), result="definite", grade=1)
    facts = diary(cramps=[day_cramp(ago(k)) for k in (2, 5, 9)], claudication=answered)
    with translation.override(language):
        (insight,) = evaluate(facts)
        worded = texts(insight)
    if language == "de":
        assert worded["explanation"].startswith(
            "In den letzten 4 Wochen haben Sie 3 Krämpfe beim Gehen oder beim Sport eingetragen, die in Ruhe "
            "nachließen, und Ihre Antworten im Gehfragebogen vom 10. März"
        )
        assert worded["printed"].endswith("Edinburgh-Claudication-Fragebogen: eindeutig (10. Mär 2026).")
    else:
        assert worded["explanation"].startswith(
            "En las últimas 4 semanas registró 3 calambres al caminar o hacer ejercicio que se aliviaron con "
            "el reposo, y sus respuestas al cuestionario sobre la marcha del 10 de marzo"
        )
        assert worded["printed"].endswith(
            "Cuestionario de Claudicación de Edimburgo: definido (10 mar 2026)."
        )


def test_the_shared_helpers_follow_the_active_language():
    rate = NightRate(nights=10, cramp_nights=3)
    group = {"cramp_nights": 3, "nights": 10, "rate": 0.3}
    expected = {
        "en": ["3 of 10 nights (30%)", "3 of 10 nights (30%)", "3 of 10 nights (30%)", "a, b and c"],
        "de": ["3 von 10 Nächten (30 %)", "3 von 10 Nächten (30 %)", "3 von 10 Nächten (30 %)", "a, b und c"],
        "es": ["3 de 10 noches (30 %)", "3 de 10 noches (30 %)", "3 de 10 noches (30 %)", "a, b y c"],
    }
    for language, words in expected.items():
        with translation.override(language):
            shown = [
                wording.rate_words(rate),
                wording.group_words(group),
                wording.printed_rate(group),
                wording.joined_with_and(["a", "b", "c"]),
            ]
            assert shown == words
    with translation.override("de"):
        assert wording.listed_days([ago(3), ago(1)]) == "17. März und 19. März"
        assert wording.score(None, 3) == "keine Angabe"
        assert wording.cm_words(40.25) == "40,2 cm"
        assert f"{wording.SWELLING_WORDS[2]}, {wording.DRUG_CLASS_WORDS['diuretic']}" == "mäßig, Diuretikum"
        assert f"{wording.NOT_A_DIAGNOSIS}" == "Dies ist keine Diagnose."
    with translation.override("es"):
        assert wording.joined_with_and(["café", "ibuprofeno"]) == "café e ibuprofeno"
        assert wording.joined_with_and(["café", "hielo"]) == "café y hielo"
        assert wording.printed_day(None) == "fecha desconocida"
        assert f"{wording.SWELLING_WORDS[3]}" == "intensa"
    # English keeps its own helpers' words.
    assert wording.plural(1, "night") == "1 night" and wording.plural(2, "entry") == "2 entries"
    assert (wording.score(None, 3), wording.cm_words(40.25), wording.percent(1, 3)) == (
        "not said",
        "40.2 cm",
        "33%",
    )


def test_the_chest_pain_follow_up_names_the_episodes_date_in_the_language(worded):
    # follow_up_week: breathlessness reported on 15 March, five days ago.
    assert (
        "about the episode on 15 March, even if it has passed"
        in worded["en"]["chest_pain_follow_up"]["explanation"]
    )
    assert "von diesem Ereignis am 15. März" in worded["de"]["chest_pain_follow_up"]["explanation"]
    assert worded["de"]["chest_pain_follow_up"]["title"] == (
        "Brustschmerzen oder Atemnot am 15. März: Sagen Sie es Ihrer Ärztin oder Ihrem Arzt"
    )
    assert "el episodio del 15 de marzo" in worded["es"]["chest_pain_follow_up"]["explanation"]
    assert "Wadenumfang 39,5 cm gegenüber 36,0 cm" in worded["de"]["swollen_painful_leg"]["explanation"]
    assert (
        "perímetro de la pantorrilla de 39,5 cm frente a 36,0 cm"
        in worded["es"]["swollen_painful_leg"]["explanation"]
    )
