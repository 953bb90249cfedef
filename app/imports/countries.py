"""Country names as datasets write them, matched to ISO 3166-1 alpha-3 codes.

A name matches when, folded (accents dropped, case, punctuation and a leading "the"
ignored, "&" read as "and", "St." as "Saint"), it equals a pycountry name, common name or
official name, or one of the aliases below. `ALIASES` is the documented list of the
spellings CGIT and AidData use that ISO does not; a name mapped to None is a known place
without an ISO 3166-1 code (kept as the record's recipient text, with no country link).
"""

import re
import unicodedata
from functools import cache

import pycountry

ALIASES: dict[str, str | None] = {
    "Antigua": "ATG",
    "Antigua-Barbuda": "ATG",
    "Bosnia": "BIH",
    "Bosnia-Herzegovina": "BIH",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "England": "GBR",
    "UK": "GBR",
    "Brunei": "BRN",
    "Burma": "MMR",
    "Cape Verde": "CPV",
    "China (People's Republic of)": "CHN",
    "Congo (DRC)": "COD",
    "Congo-Kinshasa": "COD",
    "DRC": "COD",
    "DR Congo": "COD",
    "Democratic Republic of the Congo": "COD",
    "Democratic Republic of Congo": "COD",
    "Congo-Brazzaville": "COG",
    "Republic of Congo": "COG",
    "Czech Republic": "CZE",
    "East Timor": "TLS",
    "Falkland Islands": "FLK",
    "Ivory Coast": "CIV",
    "Kyrgyz Republic": "KGZ",
    "Lao PDR": "LAO",
    "Macau": "MAC",
    "Macedonia": "MKD",
    "Micronesia": "FSM",
    "Palestine": "PSE",
    "West Bank and Gaza": "PSE",
    "West Bank and Gaza Strip": "PSE",
    "Russia": "RUS",
    "Sao Tome": "STP",
    "Slovak Republic": "SVK",
    "South Korea": "KOR",
    "Swaziland": "SWZ",
    "Trinidad-Tobago": "TTO",
    "Turkey": "TUR",
    "UAE": "ARE",
    "US": "USA",
    "USA": "USA",
    "Vatican": "VAT",
    "Kosovo": None,
}

# Recipients that name a region or several countries rather than one country.
_REGIONAL = re.compile(r"\bregional\b|^multi[- ]?(region|country|countries)", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SAINT = re.compile(r"^st\.? ")


def fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = _SAINT.sub("saint ", plain.casefold().replace("&", " and ").strip())
    words = _PUNCTUATION.sub(" ", plain).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


@cache
def _index() -> dict[str, str | None]:
    index: dict[str, str | None] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                index[fold(name)] = country.alpha_3
    for alias, code in ALIASES.items():
        index[fold(alias)] = code
    return index


class UnknownCountry(LookupError):
    pass


def lookup(name: str) -> str | None:
    """The ISO-3 code of a country name; None for a known place without one.

    Raises UnknownCountry when the name matches nothing.
    """
    try:
        return _index()[fold(name)]
    except KeyError:
        raise UnknownCountry(name) from None


def is_regional(name: str) -> bool:
    return _REGIONAL.search(name) is not None


ISO3 = frozenset(country.alpha_3 for country in pycountry.countries)
