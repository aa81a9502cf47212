"""The association rules, the medication review and the Edinburgh questions in German and Spanish (issue #20).

The shared pieces (rates, lists, dates, "not a diagnosis") come from diary.insights.wording and diary.zones,
so the expected texts take them from there, in the same language; these tests check the rules' own sentences.
"""

from datetime import date

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from diary.insights import (
    rule_compression_association,
    rule_factor_association,
    rule_for,
    rule_low_hydration_pattern,
    rule_medication_review,
)
from diary.insights.associations import compression_association, factor_association, hydration_association
from diary.insights.facts import FactorFact
from diary.insights.wording import NOT_A_DIAGNOSIS, group_words, printed_rate, rate_words
from diary.zones import short_day_words
from tests.test_insight_rules import ago, compression_diary, diary, hydration_diary, morning
from tests.test_insights_medications_factors import WHEN, factor_diary, medicine, night_cramps


def all_text(insight, rule_code: str) -> list[str]:
    rule = rule_for(rule_code)
    return [
        insight.title,
        insight.explanation,
        rule.clinician_words(insight, WHEN),
        rule.printed_evidence(insight, "Europe/Berlin"),
    ]


def filled(texts: list[str]) -> None:
    """Every placeholder filled, none of the English sentence starts left."""
    for text in texts:
        assert "%(" not in text and ")s" not in text, text
        for english in ("After days", "Cramp nights after", "This is an association", "Association, not"):
            assert english not in text, text


# --- compression_association ------------------------------------------------------------------------


def test_fewer_cramp_nights_in_stockings_in_german():
    facts = compression_diary(worn=(1, 8), none=(6, 8))
    rates = compression_association(facts)
    with translation.override("de"):
        insight = rule_compression_association(facts)
        assert insight.title == "Weniger Krampfnächte nach Tagen mit Kompressionsstrümpfen"
        assert insight.explanation == (
            "Nach Tagen, an denen Sie Ihre Strümpfe 8 Stunden oder länger getragen haben, hatten Sie in "
            f"{rate_words(rates['worn'])} Krämpfe. Nach Tagen ohne Strümpfe in {rate_words(rates['none'])}. "
            "Das ist ein Zusammenhang, kein Beweis: Der Unterschied kann auch andere Ursachen haben. "
            "Tragen Sie Ihre Kompressionsstrümpfe weiter so, wie sie verordnet wurden."
        )
        e = insight.evidence
        assert rule_for("compression_association").clinician_words(insight, WHEN) == (
            f"Krampfnächte nach Tagen mit 8 h oder mehr Kompression: {group_words(e['worn'])}; nach Tagen "
            f"ohne: {group_words(e['none'])}. Zusammenhang, kein Beweis; letzter Eintrag {WHEN}."
        )
        filled(all_text(insight, "compression_association"))


def test_more_cramp_nights_in_stockings_in_spanish():
    facts = compression_diary(worn=(6, 8), none=(1, 8))
    with translation.override("es"):
        insight = rule_compression_association(facts)
        assert insight.title == "Más noches con calambres después de días con medias de compresión"
        assert insight.explanation.startswith("Después de los días en que llevó las medias 8 horas o más")
        assert insight.explanation.endswith("no cambie la forma de llevarlas solo por esto.")
        e = insight.evidence
        assert rule_for("compression_association").printed_evidence(insight) == (
            f"Noches con calambres después de días con 8 h o más de compresión: {printed_rate(e['worn'])}; "
            f"después de días sin compresión: {printed_rate(e['none'])}. Una asociación, no una prueba."
        )
        filled(all_text(insight, "compression_association"))


# --- low_hydration_pattern ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "target"),
    [
        ("de", "Mehr Krampfnächte nach Tagen, an denen Sie weniger getrunken haben", "2.000"),
        ("es", "Más noches con calambres después de días en que bebió menos", "2\xa0000"),
    ],
)
def test_low_hydration_in_each_language_with_the_target_grouped_its_way(language, title, target):
    facts = hydration_diary(under=(6, 8), over=(1, 8))
    rates = hydration_association(facts)
    with translation.override(language):
        insight = rule_low_hydration_pattern(facts)
        assert insight.title == title
        assert "2000 ml" in insight.explanation
        assert rate_words(rates["under"]) in insight.explanation
        printed = rule_for("low_hydration_pattern").printed_evidence(insight)
        assert f"{target} ml" in printed
        filled(all_text(insight, "low_hydration_pattern"))
    with translation.override("es"):
        assert rule_low_hydration_pattern(facts).explanation.endswith("siga su consejo.")


# --- factor_association ------------------------------------------------------------------------------


def test_a_tag_in_german_quotation_marks_with_its_start_and_the_other_tags():
    checkins = [morning(ago(n), "some") for n in range(8, 13)] + [
        morning(ago(n), "none") for n in range(1, 8)
    ]
    coffee = FactorFact(name="Kaffee", days=frozenset(ago(n) for n in range(8, 13)), since=ago(12))
    wine = FactorFact(name="Wein", days=frozenset(ago(n) for n in (8, 9, 10, 11, 1)))
    facts = diary(checkins=checkins, fluid={ago(n): 1500 for n in range(1, 28)}, factors=[coffee, wine])
    rates = factor_association(facts, coffee)
    with translation.override("de"):
        insight = rule_factor_association(facts)
        assert insight.evidence["factor"] == "Kaffee" and insight.evidence["other_factors"] == ["Wein"]
        assert insight.title == "Mehr Krampfnächte nach Tagen mit „Kaffee“"
        assert insight.explanation == (
            f"Nach Tagen, an denen Sie „Kaffee“ eingetragen haben, hatten Sie in {rate_words(rates['with'])} "
            f"Krämpfe. Nach Tagen ohne diesen Eintrag in {rate_words(rates['without'])}. Gezählt wurden die "
            "Nächte, zu denen Sie in der App Angaben gemacht haben, ab dem 8. März, als Sie begonnen "
            "haben, es einzutragen. Das ist ein Zusammenhang, kein Beweis: Der Unterschied kann auch andere "
            "Ursachen haben. Auch nach Tagen mit „Wein“ unterschieden sich die Nächte. Sie können es bei "
            "Ihrem nächsten Arzttermin ansprechen; ändern Sie nicht allein deshalb ein Medikament oder eine "
            "Behandlung."
        )
        clinician = rule_for("factor_association").clinician_words(insight, WHEN)
        assert "Ebenfalls unterschiedlich: „Wein“." in clinician
        filled(all_text(insight, "factor_association"))


def test_a_tag_in_spanish():
    facts = factor_diary(with_=(1, 8), without=(6, 10), name="un paseo largo")
    with translation.override("es"):
        insight = rule_factor_association(facts)
        assert insight.title == "Menos noches con calambres después de días con «un paseo largo»"
        assert "Se han contado las noches de las que informó en la aplicación." in insight.explanation
        e = insight.evidence
        assert rule_for("factor_association").clinician_words(insight, WHEN) == (
            "Noches con calambres después de días en que se registró «un paseo largo»: "
            f"{group_words(e['with'])}; después de días sin ese registro: {group_words(e['without'])}. "
            f"Asociación, no prueba; última entrada: {WHEN}."
        )
        filled(all_text(insight, "factor_association"))


# --- medication_review -------------------------------------------------------------------------------


def test_a_listed_diuretic_in_german():
    facts = diary(cramps=night_cramps(*range(1, 10)), medications=[medicine()])
    with translation.override("de"):
        insight = rule_medication_review(facts)
        assert insight.title == (
            "Viele Krampfnächte während der Einnahme von bendroflumethiazide: "
            "Fragen Sie nach Ihren Medikamenten"
        )
        assert insight.explanation == (
            "Sie hatten in 9 Nächten Krämpfe, seit Sie am 3. März mit bendroflumethiazide begonnen haben. "
            "Manche Medikamente, darunter Entwässerungstabletten (Diuretika), können Beinkrämpfe "
            "wahrscheinlicher machen. Setzen Sie kein Medikament eigenmächtig ab; fragen Sie Ihre Ärztin, "
            "Ihren Arzt oder Ihre Apotheke, ob eines Ihrer Medikamente eine Rolle spielen könnte. "
            f"{NOT_A_DIAGNOSIS}"
        )
        clinician = rule_for("medication_review").clinician_words(insight, WHEN)
        assert clinician.startswith(
            "Krämpfe in 9 der letzten 28 Nächte während der Einnahme von bendroflumethiazide"
        )
        assert f"(Diuretikum), begonnen am {short_day_words(ago(17))} (" in clinician
        assert clinician.endswith(f"Zuletzt {WHEN}. Empfohlen: eine Überprüfung der Medikation.")
        assert rule_for("medication_review").printed_evidence(insight).endswith("; laut Medikationsliste.")
        filled(all_text(insight, "medication_review"))


def test_two_listed_medicines_one_from_last_year_in_spanish():
    started = date(2025, 12, 1)
    facts = diary(
        cramps=night_cramps(*range(1, 12)),
        medications=[
            medicine(started=started),
            medicine("atorvastatin", "statin", started=ago(20), stopped=ago(3)),
        ],
    )
    with translation.override("es"):
        insight = rule_medication_review(facts)
        assert insight.explanation.startswith(
            "En las últimas 4 semanas tuvo calambres en 11 noches mientras tomaba bendroflumethiazide "
            "(empezó el 1 de diciembre de 2025). También toma atorvastatin."
        )
        assert "pastillas para orinar (diuréticos)" in insight.explanation
        assert "estatinas" in insight.explanation
        clinician = rule_for("medication_review").clinician_words(insight, WHEN)
        assert "También en la lista: atorvastatin (" in clinician
        assert "noches con calambres mientras lo tomaba." in clinician
        filled(all_text(insight, "medication_review"))


@pytest.mark.parametrize(
    ("language", "title", "printed"),
    [
        (
            "de",
            "Viele Krämpfe während der Einnahme von Entwässerungstabletten: "
            "Fragen Sie nach Ihren Medikamenten",
            "8 Krämpfe in 28 Tagen; laut Profil werden Diuretika eingenommen.",
        ),
        (
            "es",
            "Muchos calambres mientras toma pastillas para orinar: pregunte por sus medicamentos",
            "8 calambres en 28 días; según el perfil, toma diuréticos.",
        ),
    ],
)
def test_the_profiles_diuretics_in_each_language(language, title, printed):
    facts = diary(cramps=night_cramps(*range(1, 9)), takes_diuretics=True)
    with translation.override(language):
        insight = rule_medication_review(facts)
        assert insight.title == title
        assert rule_for("medication_review").printed_evidence(insight) == printed
        assert insight.explanation.endswith(str(NOT_A_DIAGNOSIS))
        filled(all_text(insight, "medication_review"))


def test_english_is_unchanged_inside_an_english_override():
    facts = diary(cramps=night_cramps(*range(1, 9)), takes_diuretics=True)
    with translation.override("en"):
        insight = rule_medication_review(facts)
    assert insight.explanation == (
        "In the last 4 weeks you logged 8 cramps, and your profile says you take water tablets (diuretics). "
        "Some medicines, water tablets among them, can make leg cramps more likely. Do not stop any medicine "
        "on your own; ask your doctor or pharmacist whether one of your medicines could play a part. "
        f"{NOT_A_DIAGNOSIS}"
    )
    assert (
        rule_for("low_hydration_pattern")
        .printed_evidence(rule_low_hydration_pattern(hydration_diary(under=(6, 8), over=(1, 8))))
        .startswith("Cramp nights after days under the 2,000 ml target: ")
    )


# --- The Edinburgh questions, as the offer answers them -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "walking_pain", "locations"),
    [
        (
            "de",
            "Haben Sie beim Gehen Schmerzen oder Beschwerden in einem Bein oder in beiden Beinen?",
            "Wo haben Sie diese Schmerzen oder Beschwerden?",
        ),
        (
            "es",
            "¿Siente dolor o molestias en una pierna o en las dos al caminar?",
            "¿Dónde siente este dolor o estas molestias?",
        ),
        (
            "en",
            "Do you get a pain or discomfort in your leg(s) when you walk?",
            "Where do you get this pain or discomfort?",
        ),
    ],
)
def test_the_offer_asks_in_the_patients_language(alice, language, walking_pain, locations):
    alice.language = language
    alice.save(update_fields=["language"])
    client = APIClient()
    client.force_login(alice)  # a session, so the language middleware sees who it is
    questions = client.get("/api/v1/claudication/offer/").json()["questions"]
    assert len(questions) == 6
    assert (questions["walking_pain"], questions["locations"]) == (walking_pain, locations)
