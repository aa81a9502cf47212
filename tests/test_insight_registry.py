"""The registry of insight rules: every rule module is registered, and each brings its own words for the
patient, the clinician and the printed summary (a new rule without them fails here)."""

import pkgutil
import re
from dataclasses import replace

import pytest

from diary.exports.pdf import evidence_words
from diary.insights import RULES, clinician_explanation, rules
from diary.insights.rules import REGISTRY, rule_for
from tests.test_insight_rules import busy_month, follow_up_week

SECOND_PERSON = re.compile(r"\b(you|your)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def fired() -> dict:
    """Each rule's insight: busy_month raises all but the follow-ups its urgent check-in silences, and
    follow_up_week raises those."""
    month, week = busy_month(), follow_up_week()
    return {rule.code: rule.check(month) or rule.check(week) for rule in REGISTRY}


def test_every_module_in_the_rules_package_is_registered():
    modules = {info.name for info in pkgutil.iter_modules(rules.__path__)}
    assert modules == {rule.code for rule in REGISTRY}


def test_each_rule_is_registered_once_and_found_by_its_code():
    codes = [rule.code for rule in REGISTRY]
    assert len(codes) == len(set(codes))
    assert all(rule_for(code) is rule for code, rule in zip(codes, REGISTRY, strict=True))
    assert rule_for("no_such_rule") is None


def test_evaluate_runs_the_registry_in_its_order():
    assert tuple(rule.check for rule in REGISTRY) == RULES


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda rule: rule.code)
def test_each_rule_words_its_insight_for_the_patient(fired, rule):
    insight = fired[rule.code]
    assert insight is not None, f"busy_month or follow_up_week should raise {rule.code}"
    assert insight.code == rule.code
    assert insight.title
    assert SECOND_PERSON.search(insight.explanation), insight.explanation


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda rule: rule.code)
def test_each_rule_has_its_own_clinician_words(fired, rule):
    insight = fired[rule.code]
    words = rule.clinician_words(insight, "1 Dec 2026, 19:40 New York time")
    assert words
    assert not SECOND_PERSON.search(words), words
    # Not the fallback for a code without a rule, which names the rule instead of saying what was seen.
    assert f"(rule {rule.code})" not in clinician_explanation(insight, time_zone="America/New_York")


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda rule: rule.code)
def test_each_rule_has_its_own_printed_evidence(fired, rule):
    insight = fired[rule.code]
    printed = evidence_words(insight, time_zone="America/New_York")
    assert printed == rule.printed_evidence(insight, "America/New_York")
    assert not SECOND_PERSON.search(printed), printed
    # Not the plain "name: value" pairs a removed rule's insight falls back to.
    assert printed != evidence_words(replace(insight, code="no_such_rule"), time_zone="America/New_York")
