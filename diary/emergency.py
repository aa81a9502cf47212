"""The emergency number of a country, and the country a time zone is in: pure look-ups, one documented table.

Sources of the numbers (each entry below is one a source states; docs/decisions/0026-emergency-numbers.md):
- EU member states and the EEA (IS, LI, NO): 112, the single European emergency number, Directive (EU)
  2018/1972 art. 109 and the European Commission's page "112 - Europe's emergency number"
  (https://digital-strategy.ec.europa.eu/en/policies/112).
- GB: 999 (112 also works), GOV.UK / NHS "When to call 999".
- US, CA: 911, FCC "911 and E911 services"; the Canadian Radio-television and Telecommunications
  Commission (CRTC) "9-1-1".
- AU: 000 (Triple Zero), https://www.triplezero.gov.au.
- NZ: 111, New Zealand Police "Call 111".
- JP: 119 (fire and ambulance), Fire and Disaster Management Agency.
- IN: 112, the Emergency Response Support System (ERSS), Ministry of Home Affairs.
- CH: 144 (ambulance), ch.ch "Emergency numbers" (112 reaches the police and is routed on).
- ZA: 112 from a mobile phone (10177 is the ambulance from a landline), South African Government
  "Emergency services".

Country codes and the zone-to-country map come from the IANA time zone database that zoneinfo already reads
(iso3166.tab, zone.tab; tzdata.zi for the old names of zones), not from a hand-typed list.
"""

from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH

GENERAL_112 = (
    # The EU member states.
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
    # The EEA states outside the EU.
    " IS LI NO"
)

EMERGENCY_NUMBERS: dict[str, str] = {
    **dict.fromkeys(GENERAL_112.split(), "112"),
    "GB": "999",
    "US": "911",
    "CA": "911",
    "AU": "000",
    "NZ": "111",
    "JP": "119",
    "IN": "112",
    "CH": "144",
    "ZA": "112",
}

# When the country is unknown, the app spells out these two (what each covers), never one guessed number.
FALLBACK_NUMBERS = ("112", "911")


class TimeZoneDataMissing(RuntimeError):
    """The time zone database's tables are not on this machine (no system tzdata, no tzdata package)."""


def emergency_number(country: str | None) -> str | None:
    """The general emergency number of the country; None when the country is unknown or not in the table."""
    if not country:
        return None
    return EMERGENCY_NUMBERS.get(country.upper())


def _table_lines(name: str) -> list[list[str]]:
    for folder in TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return _rows(path.read_text(encoding="utf-8"))
    try:
        text = resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise TimeZoneDataMissing(
            f"{name} is in none of {TZPATH} and no tzdata package is installed"
        ) from exc
    return _rows(text)


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the usual English name, from the time zone database's iso3166.tab."""
    return {row[0]: row[1] for row in _table_lines("iso3166.tab")}


def is_country_code(code: str) -> bool:
    return code in country_names()


@cache
def _zone_countries() -> dict[str, str]:
    zones = {row[2]: row[0] for row in _table_lines("zone.tab")}
    # Old names (US/Eastern, Asia/Calcutta, Europe/Kiev) are links to a zone that zone.tab names.
    for line in _table_lines_or_empty("tzdata.zi"):
        parts = line[0].split()
        if len(parts) == 3 and parts[0] == "L" and parts[2] not in zones and parts[1] in zones:
            zones[parts[2]] = zones[parts[1]]
    return zones


def _table_lines_or_empty(name: str) -> list[list[str]]:
    try:
        return _table_lines(name)
    except TimeZoneDataMissing:
        return []


def country_from_timezone(zone: str) -> str | None:
    """The country a time zone is in (Europe/Berlin -> DE), or None for a zone of no one country (UTC)."""
    return _zone_countries().get(zone)
