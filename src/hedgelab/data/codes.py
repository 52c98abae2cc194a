"""One country-code system for every dataset: ISO 3166-1 alpha-3 (``ISO3``).

Every loader converts its source's identifiers to ISO3 with the functions here, so that a
country means the same thing in IMF DOTS, COW, ATOP, SIPRI, the World Bank, UNGA, UNCTAD and
ICEWS.

Conventions
-----------
* Sovereign states and territories use their ISO 3166-1 alpha-3 code (``JPN``, ``HKG``, ``TWN``).
* States that no longer exist use their ISO 3166-3 code where one exists (``DDR`` East Germany,
  ``SUN`` USSR as a *separate* unit in sources that list it apart from Russia, ``CSK``
  Czechoslovakia, ``YUG`` Yugoslavia, ``YMD`` South Yemen, ``SCG`` Serbia and Montenegro,
  ``ANT`` Netherlands Antilles), otherwise a user-assigned ``X..`` code (``XKX`` Kosovo as used
  by the EU and World Bank, ``XSV`` South Vietnam, ``XBL`` Belgium-Luxembourg, and the 19th-century
  German and Italian states, see :data:`COW_TO_ISO3`).
* Aggregates (World, regions, income groups, "not specified" rows) get a code too, so tidy
  tables can keep them, but :func:`is_aggregate` is true for them and indicators exclude them
  from anything computed over partner *countries*. World Bank codes are used where they exist
  (``WLD``, ``EUU``, ``EMU``, ``EAS``, ``EAP``); aggregates only the IMF or UNCTAD publish get
  user-assigned ``Q..`` codes (``QAD`` Advanced Economies, ``QNS`` "not specified", …).

COW state codes (documented choices)
------------------------------------
* ``255`` GMY (Germany 1816-1945 and 1990-) and ``260`` GFR (West Germany 1955-1990) both map to
  ``DEU``. Where a source has both in the same year (COW NMC 1990), loaders keep the ``255`` value
  and fill its gaps from ``260`` (:data:`COW_PRIORITY`). ``265`` GDR maps to ``DDR``.
* ``365`` RUS covers the Russian Empire, the USSR and the Russian Federation: ``RUS``.
* ``710`` CHN is the People's Republic, ``713`` TAW is Taiwan (``TWN``). **China seat caveat:** in
  UNGA data ``713`` held the China seat until 1971 (sessions 1-26); it is mapped to ``TWN``
  regardless, because the government is the one in Taipei. Use :func:`china_seat_holder` when the
  *seat* rather than the state is wanted.
* ``816`` DRV (North Vietnam, then unified Vietnam from 1976) maps to ``VNM``; ``817`` RVN (South
  Vietnam 1954-1975) to ``XSV``.
* ``730`` (Korea 1887-1905) and ``732`` ROK both map to ``KOR``; ``731`` is ``PRK``.
* ``678`` YAR (North Yemen to 1990) and ``679`` (Yemen from 1990) map to ``YEM``; ``680`` YPR to
  ``YMD``. ``345`` (Yugoslavia, then Serbia) maps to ``SRB``.

Names
-----
:func:`name_to_iso3` reads the country names of IMF DOTS, SIPRI, ICEWS, UNCTAD, OWID and the
World Bank. Names are normalised first (case, dots and underscores as spaces, ``&``/``and``,
footnote markers) and then looked up in one alias table. Unknown names and codes raise
:class:`~hedgelab.errors.HedgelabError` with the closest known ones suggested.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from hedgelab.errors import HedgelabError, error_line, suggest

__all__ = [
    "AGGREGATES",
    "COMPARATORS",
    "COUNTRIES",
    "COW_PRIORITY",
    "COW_TO_ISO3",
    "FOCAL",
    "add_aliases",
    "china_seat_holder",
    "country_name",
    "cow_to_iso3",
    "is_aggregate",
    "is_country",
    "iso3_to_cow",
    "name_to_iso3",
    "names_to_iso3",
    "nearest_cow",
    "normalise_name",
    "validate_iso3",
]

FOCAL = ("JPN", "USA", "CHN")
"""The focal state and the two great powers."""

COMPARATORS = ("AUS", "KOR", "GBR", "DEU", "PHL", "IND")
"""Comparator middle powers named in ``shared/data/README.md``."""

# ISO3 -> English name, for every state or territory any loader can produce.
COUNTRIES: dict[str, str] = {
    "ABW": "Aruba", "AFG": "Afghanistan", "AGO": "Angola", "AIA": "Anguilla", "ALB": "Albania",
    "AND": "Andorra", "ANT": "Netherlands Antilles", "ARE": "United Arab Emirates",
    "ARG": "Argentina", "ARM": "Armenia", "ASM": "American Samoa", "ATG": "Antigua and Barbuda",
    "AUS": "Australia", "AUT": "Austria", "AZE": "Azerbaijan", "BDI": "Burundi", "BEL": "Belgium",
    "BEN": "Benin", "BFA": "Burkina Faso", "BGD": "Bangladesh", "BGR": "Bulgaria",
    "BHR": "Bahrain", "BHS": "Bahamas", "BIH": "Bosnia and Herzegovina", "BLR": "Belarus",
    "BLZ": "Belize", "BMU": "Bermuda", "BOL": "Bolivia", "BRA": "Brazil", "BRB": "Barbados",
    "BRN": "Brunei", "BTN": "Bhutan", "BWA": "Botswana", "CAF": "Central African Republic",
    "CAN": "Canada", "CHE": "Switzerland", "CHL": "Chile", "CHN": "China",
    "CIV": "Cote d'Ivoire", "CMR": "Cameroon", "COD": "Congo, Democratic Republic",
    "COG": "Congo, Republic", "COL": "Colombia", "COM": "Comoros", "CPV": "Cabo Verde",
    "CRI": "Costa Rica", "CSK": "Czechoslovakia", "CUB": "Cuba", "CUW": "Curacao",
    "CYM": "Cayman Islands", "CYP": "Cyprus", "CZE": "Czechia", "DDR": "German Democratic Republic",
    "DEU": "Germany", "DJI": "Djibouti", "DMA": "Dominica", "DNK": "Denmark",
    "DOM": "Dominican Republic", "DZA": "Algeria", "ECU": "Ecuador", "EGY": "Egypt",
    "ERI": "Eritrea", "ESP": "Spain", "EST": "Estonia", "ETH": "Ethiopia", "FIN": "Finland",
    "FJI": "Fiji", "FLK": "Falkland Islands", "FRA": "France", "FRO": "Faroe Islands",
    "FSM": "Micronesia", "GAB": "Gabon", "GBR": "United Kingdom", "GEO": "Georgia",
    "GGY": "Guernsey", "GHA": "Ghana", "GIB": "Gibraltar", "GIN": "Guinea", "GMB": "Gambia",
    "GNB": "Guinea-Bissau", "GNQ": "Equatorial Guinea", "GRC": "Greece", "GRD": "Grenada",
    "GRL": "Greenland", "GTM": "Guatemala", "GUM": "Guam", "GUY": "Guyana", "HKG": "Hong Kong",
    "HND": "Honduras", "HRV": "Croatia", "HTI": "Haiti", "HUN": "Hungary", "IDN": "Indonesia",
    "IMN": "Isle of Man", "IND": "India", "IRL": "Ireland", "IRN": "Iran", "IRQ": "Iraq",
    "ISL": "Iceland", "ISR": "Israel", "ITA": "Italy", "JAM": "Jamaica", "JEY": "Jersey",
    "JOR": "Jordan", "JPN": "Japan", "KAZ": "Kazakhstan", "KEN": "Kenya", "KGZ": "Kyrgyzstan",
    "KHM": "Cambodia", "KIR": "Kiribati", "KNA": "Saint Kitts and Nevis", "KOR": "South Korea",
    "KWT": "Kuwait", "LAO": "Laos", "LBN": "Lebanon", "LBR": "Liberia", "LBY": "Libya",
    "LCA": "Saint Lucia", "LIE": "Liechtenstein", "LKA": "Sri Lanka", "LSO": "Lesotho",
    "LTU": "Lithuania", "LUX": "Luxembourg", "LVA": "Latvia", "MAC": "Macao", "MAR": "Morocco",
    "MCO": "Monaco", "MDA": "Moldova", "MDG": "Madagascar", "MDV": "Maldives", "MEX": "Mexico",
    "MHL": "Marshall Islands", "MKD": "North Macedonia", "MLI": "Mali", "MLT": "Malta",
    "MMR": "Myanmar", "MNE": "Montenegro", "MNG": "Mongolia", "MOZ": "Mozambique",
    "MRT": "Mauritania", "MSR": "Montserrat", "MUS": "Mauritius", "MWI": "Malawi",
    "MYS": "Malaysia", "NAM": "Namibia", "NCL": "New Caledonia", "NER": "Niger", "NGA": "Nigeria",
    "NIC": "Nicaragua", "NLD": "Netherlands", "NOR": "Norway", "NPL": "Nepal", "NRU": "Nauru",
    "NZL": "New Zealand", "OMN": "Oman", "PAK": "Pakistan", "PAN": "Panama", "PER": "Peru",
    "PHL": "Philippines", "PLW": "Palau", "PNG": "Papua New Guinea", "POL": "Poland",
    "PRI": "Puerto Rico", "PRK": "North Korea", "PRT": "Portugal", "PRY": "Paraguay",
    "PSE": "West Bank and Gaza", "PYF": "French Polynesia", "QAT": "Qatar", "ROU": "Romania",
    "RUS": "Russia", "RWA": "Rwanda", "SAU": "Saudi Arabia", "SCG": "Serbia and Montenegro",
    "SDN": "Sudan", "SEN": "Senegal", "SGP": "Singapore", "SLB": "Solomon Islands",
    "SLE": "Sierra Leone", "SLV": "El Salvador", "SMR": "San Marino", "SOM": "Somalia",
    "SRB": "Serbia", "SSD": "South Sudan", "STP": "Sao Tome and Principe", "SUN": "USSR",
    "SUR": "Suriname", "SVK": "Slovakia", "SVN": "Slovenia", "SWE": "Sweden", "SWZ": "Eswatini",
    "SXM": "Sint Maarten", "SYC": "Seychelles", "SYR": "Syria", "TCA": "Turks and Caicos Islands",
    "TCD": "Chad", "TGO": "Togo", "THA": "Thailand", "TJK": "Tajikistan", "TKM": "Turkmenistan",
    "TLS": "Timor-Leste", "TON": "Tonga", "TTO": "Trinidad and Tobago", "TUN": "Tunisia",
    "TUR": "Turkey", "TUV": "Tuvalu", "TWN": "Taiwan", "TZA": "Tanzania", "UGA": "Uganda",
    "UKR": "Ukraine", "URY": "Uruguay", "USA": "United States", "UZB": "Uzbekistan",
    "VAT": "Holy See", "VCT": "Saint Vincent and the Grenadines", "VEN": "Venezuela",
    "VGB": "British Virgin Islands", "VIR": "US Virgin Islands", "VNM": "Vietnam",
    "VUT": "Vanuatu", "WSM": "Samoa", "XBL": "Belgium-Luxembourg", "XKX": "Kosovo",
    "XSV": "Republic of Vietnam (South)", "YEM": "Yemen", "YMD": "South Yemen",
    "YUG": "Yugoslavia", "ZAF": "South Africa", "ZMB": "Zambia", "ZWE": "Zimbabwe",
    # 19th-century states in COW (user-assigned codes)
    "XAH": "Austria-Hungary", "XBD": "Baden", "XBV": "Bavaria", "XCA": "United Provinces of Central America",
    "XGC": "Gran Colombia", "XHD": "Hesse Grand Ducal", "XHE": "Hesse Electoral", "XHN": "Hanover",
    "XME": "Mecklenburg-Schwerin", "XMO": "Modena", "XPA": "Parma", "XPS": "Papal States",
    "XSX": "Saxony", "XTS": "Two Sicilies", "XTU": "Tuscany", "XWR": "Wuerttemberg",
    "XZN": "Zanzibar",
}

# code -> name for aggregates and non-country rows
AGGREGATES: dict[str, str] = {
    "WLD": "World", "EUU": "European Union", "EMU": "Euro Area", "EAS": "East Asia & Pacific",
    "EAP": "East Asia & Pacific (excluding high income)",
    "QAD": "Advanced Economies", "QED": "Emerging and Developing Economies",
    "QEA": "Emerging and Developing Asia", "QEE": "Emerging and Developing Europe",
    "QAF": "Africa", "QSS": "Sub-Saharan Africa", "QME": "Middle East",
    "QMC": "Middle East and Central Asia", "QWH": "Western Hemisphere",
    "QFU": "Emerging and Developing Economies: Fuel",
    "QNF": "Emerging and Developing Economies: Nonfuel",
    "QNS": "Countries & Areas not specified", "QAN": "Africa not specified",
    "QSN": "Asia not specified", "QEN": "Europe not specified",
    "QMN": "Middle East and Central Asia not specified", "QWN": "Western Hemisphere not specified",
    "QOT": "Other Countries not included elsewhere", "QSC": "Special Categories",
    "QMI": "Memorandum Items", "QMW": "Malaysia, West", "QUN": "Unknown supplier(s)",
    "QDV": "Developed economies", "QDG": "Developing economies", "QTR": "Transition economies",
    "QEU": "Europe", "QOE": "Other developed Europe", "QNA": "North America",
    "QOD": "Other developed countries", "QNR": "North Africa", "QOA": "Other Africa",
    "QAS": "Asia", "QEAS": "East Asia", "QSA": "South Asia", "QSE": "South-East Asia",
    "QWA": "West Asia", "QLA": "Latin America and the Caribbean", "QSM": "South America",
    "QCM": "Central America", "QCB": "Caribbean", "QOC": "Oceania", "QSEE": "South-East Europe",
    "QCIS": "CIS",
}

_ALIASES: dict[str, str] = {}  # normalised name -> code


def normalise_name(name: str) -> str:
    """Normalise a country name for lookup.

    Lower-case, accents stripped, dots/underscores as spaces, ``&`` as ``and``, ``, The`` and
    trailing footnote markers (``Japan 1``, ``Japan a``, ``Japan*``) removed, whitespace collapsed.
    """
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    s = s.lower().replace("&", " and ").replace("_", " ").replace(".", " ").replace("'", " ")
    s = re.sub(r"[*\u2020]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s(\d+|[a-z])$", "", s) if len(s) > 3 else s  # footnote marker
    s = re.sub(r",? the$", "", s)
    s = re.sub(r"^the ", "", s)
    return s


def add_aliases(mapping: Mapping[str, str]) -> None:
    """Register extra source names: ``{source name: code}``; the code must be known.

    Loaders for sources with idiosyncratic spellings call this at import time.
    """
    for alias, code in mapping.items():
        if code not in COUNTRIES and code not in AGGREGATES:
            raise HedgelabError(error_line("codes", alias, f"a known ISO3 or aggregate code, got {code!r}"))
        _ALIASES[normalise_name(alias)] = code


# Sources' spellings that differ from the names in COUNTRIES and AGGREGATES (those are registered
# by _build_aliases already).
_SOURCE_NAMES: dict[str, str] = {
    # IMF DOTS
    "Afghanistan, Islamic Rep. of": "AFG", "Armenia, Rep. of": "ARM",
    "Aruba, Kingdom of the Netherlands": "ABW", "Azerbaijan, Rep. of": "AZE", "Bahamas, The": "BHS",
    "Bahrain, Kingdom of": "BHR", "Belarus, Rep. of": "BLR",
    "Brunei Darussalam": "BRN", "Cape Verde": "CPV",
    "Central African Rep.": "CAF", "China, P.R.: Hong Kong": "HKG", "China, P.R.: Macao": "MAC",
    "China, P.R.: Mainland": "CHN", "Comoros, Union of the": "COM",
    "Congo, Dem. Rep. of the": "COD", "Congo, Rep. of": "COG", "Congo": "COG",
    "Croatia, Rep. of": "HRV", "Curaçao, Kingdom of the Netherlands": "CUW", "Czech Rep.": "CZE",
    "Czech Republic": "CZE", "Côte d'Ivoire": "CIV", "Cote d Ivoire": "CIV",
    "Dominican Rep.": "DOM", "Eastern Germany": "DDR", "Egypt, Arab Rep. of": "EGY",
    "Equatorial Guinea, Rep. of": "GNQ", "Eritrea, The State of": "ERI",
    "Estonia, Rep. of": "EST", "Eswatini, Kingdom of": "SWZ",
    "Ethiopia, The Federal Dem. Rep. of": "ETH", "Falkland Islands (Malvinas)": "FLK",
    "Fiji, Rep. of": "FJI", "Gambia, The": "GMB", "Iran, Islamic Rep. of": "IRN",
    "Kazakhstan, Rep. of": "KAZ", "Korea, Dem. People's Rep. of": "PRK", "Korea, Rep. of": "KOR",
    "Kosovo, Rep. of": "XKX", "Kyrgyz Rep.": "KGZ", "Lao People's Dem. Rep.": "LAO",
    "Lesotho, Kingdom of": "LSO", "Madagascar, Rep. of": "MDG",
    "Marshall Islands, Rep. of the": "MHL", "Mauritania, Islamic Rep. of": "MRT",
    "Micronesia, Federated States of": "FSM", "Moldova, Rep. of": "MDA",
    "Mozambique, Rep. of": "MOZ", "Nauru, Rep. of": "NRU", "Netherlands, The": "NLD",
    "North Macedonia, Republic of": "MKD", "Palau, Rep. of": "PLW", "Poland, Rep. of": "POL",
    "San Marino, Rep. of": "SMR", "Serbia, Rep. of": "SRB",
    "Sint Maarten, Kingdom of the Netherlands": "SXM", "Slovak Rep.": "SVK",
    "Slovenia, Rep. of": "SVN", "South Sudan, Rep. of": "SSD", "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA", "St. Vincent and the Grenadines": "VCT", "Syrian Arab Rep.": "SYR",
    "São Tomé and Príncipe, Dem. Rep. of": "STP", "Taiwan Province of China": "TWN",
    "Tajikistan, Rep. of": "TJK", "Tanzania, United Rep. of": "TZA",
    "Timor-Leste, Dem. Rep. of": "TLS", "Uzbekistan, Rep. of": "UZB",
    "Venezuela, Rep. Bolivariana de": "VEN",
    "Yemen Arab Rep.": "YEM", "Yemen, People's Dem. Rep. of": "YMD", "Yemen, Rep. of": "YEM",
    "Russian Federation": "RUS", "Viet Nam": "VNM",
    # IMF aggregates
    "Emerging Market and Developing Economies by Source of Export Earnings: Fuel": "QFU",
    "Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel": "QNF",
    # World Bank
    "East Asia & Pacific (IDA & IBRD countries)": "EAP", "Korea, Rep.": "KOR",
    "Lao PDR": "LAO", "Hong Kong SAR, China": "HKG", "Egypt, Arab Rep.": "EGY",
    "Iran, Islamic Rep.": "IRN", "Venezuela, RB": "VEN", "Euro area": "EMU",
    # SIPRI (milex + arms register)
    "United States of America": "USA", "Korea, South": "KOR", "Korea, North": "PRK",
    "Germany (FRG)": "DEU", "Turkiye": "TUR", "Türkiye": "TUR",
    "UAE": "ARE", "unknown supplier(s)": "QUN",
    "Soviet Union": "SUN", "Bosnia-Herzegovina": "BIH", "Cote dIvoire": "CIV",
    # ICEWS
    "Korea, Republic Of": "KOR", "Lao People's Democratic Republic": "LAO",
    "Korea, Democratic People's Republic Of": "PRK",
    # UNCTAD (also host headers of the raw files)
    "Rusia..Federation": "RUS", "Republic of Korea": "KOR", "Korea, Republic of": "KOR",
    "Hong Kong, China": "HKG", "Macao, China": "MAC", "Bolivia, Plurinational State of": "BOL",
    "Iran, Islamic Republic of": "IRN", "Moldova, Republic of": "MDA",
    "The FYR of Macedonia": "MKD", "United Rep. of Tanzania": "TZA",
    "Venezuela, Bolivarian Rep. of": "VEN", "Syrian Arab Republic": "SYR",
    "Côte d' Ivoire": "CIV",
    "Unspecified": "QNS",
    # common English variants
    "US": "USA", "U.S.": "USA", "UK": "GBR", "Great Britain": "GBR",
    "Britain": "GBR", "West Germany": "DEU", "Federal Republic of Germany": "DEU",
    "East Germany": "DDR", "People's Republic of China": "CHN", "PRC": "CHN",
    "Republic of China": "TWN", "Burma": "MMR", "Myanmar (Burma)": "MMR",
    "Vietnam, Democratic Republic of": "VNM",
}


def _build_aliases() -> None:
    for code, name in {**COUNTRIES, **AGGREGATES}.items():
        _ALIASES.setdefault(normalise_name(name), code)
        _ALIASES.setdefault(normalise_name(code), code)
    for alias, code in _SOURCE_NAMES.items():
        _ALIASES[normalise_name(alias)] = code


_build_aliases()


# COW state code -> ISO3 (every code in COW's state system v2016)
COW_TO_ISO3: dict[int, str] = {
    2: "USA", 20: "CAN", 31: "BHS", 40: "CUB", 41: "HTI", 42: "DOM", 51: "JAM", 52: "TTO",
    53: "BRB", 54: "DMA", 55: "GRD", 56: "LCA", 57: "VCT", 58: "ATG", 60: "KNA", 70: "MEX",
    80: "BLZ", 89: "XCA", 90: "GTM", 91: "HND", 92: "SLV", 93: "NIC", 94: "CRI", 95: "PAN",
    99: "XGC", 100: "COL", 101: "VEN", 110: "GUY", 115: "SUR", 130: "ECU", 135: "PER",
    140: "BRA", 145: "BOL", 150: "PRY", 155: "CHL", 160: "ARG", 165: "URY", 200: "GBR",
    205: "IRL", 210: "NLD", 211: "BEL", 212: "LUX", 220: "FRA", 221: "MCO", 223: "LIE",
    225: "CHE", 230: "ESP", 232: "AND", 235: "PRT", 240: "XHN", 245: "XBV", 255: "DEU",
    260: "DEU", 265: "DDR", 267: "XBD", 269: "XSX", 271: "XWR", 273: "XHE", 275: "XHD",
    280: "XME", 290: "POL", 300: "XAH", 305: "AUT", 310: "HUN", 315: "CSK", 316: "CZE",
    317: "SVK", 325: "ITA", 327: "XPS", 329: "XTS", 331: "SMR", 332: "XMO", 335: "XPA",
    337: "XTU", 338: "MLT", 339: "ALB", 341: "MNE", 343: "MKD", 344: "HRV", 345: "SRB",
    346: "BIH", 347: "XKX", 349: "SVN", 350: "GRC", 352: "CYP", 355: "BGR", 359: "MDA",
    360: "ROU", 365: "RUS", 366: "EST", 367: "LVA", 368: "LTU", 369: "UKR", 370: "BLR",
    371: "ARM", 372: "GEO", 373: "AZE", 375: "FIN", 380: "SWE", 385: "NOR", 390: "DNK",
    395: "ISL", 402: "CPV", 403: "STP", 404: "GNB", 411: "GNQ", 420: "GMB", 432: "MLI",
    433: "SEN", 434: "BEN", 435: "MRT", 436: "NER", 437: "CIV", 438: "GIN", 439: "BFA",
    450: "LBR", 451: "SLE", 452: "GHA", 461: "TGO", 471: "CMR", 475: "NGA", 481: "GAB",
    482: "CAF", 483: "TCD", 484: "COG", 490: "COD", 500: "UGA", 501: "KEN", 510: "TZA",
    511: "XZN", 516: "BDI", 517: "RWA", 520: "SOM", 522: "DJI", 530: "ETH", 531: "ERI",
    540: "AGO", 541: "MOZ", 551: "ZMB", 552: "ZWE", 553: "MWI", 560: "ZAF", 565: "NAM",
    570: "LSO", 571: "BWA", 572: "SWZ", 580: "MDG", 581: "COM", 590: "MUS", 591: "SYC",
    600: "MAR", 615: "DZA", 616: "TUN", 620: "LBY", 625: "SDN", 626: "SSD", 630: "IRN",
    640: "TUR", 645: "IRQ", 651: "EGY", 652: "SYR", 660: "LBN", 663: "JOR", 666: "ISR",
    670: "SAU", 678: "YEM", 679: "YEM", 680: "YMD", 690: "KWT", 692: "BHR", 694: "QAT",
    696: "ARE", 698: "OMN", 700: "AFG", 701: "TKM", 702: "TJK", 703: "KGZ", 704: "UZB",
    705: "KAZ", 710: "CHN", 712: "MNG", 713: "TWN", 730: "KOR", 731: "PRK", 732: "KOR",
    740: "JPN", 750: "IND", 760: "BTN", 770: "PAK", 771: "BGD", 775: "MMR", 780: "LKA",
    781: "MDV", 790: "NPL", 800: "THA", 811: "KHM", 812: "LAO", 816: "VNM", 817: "XSV",
    820: "MYS", 830: "SGP", 835: "BRN", 840: "PHL", 850: "IDN", 860: "TLS", 900: "AUS",
    910: "PNG", 920: "NZL", 935: "VUT", 940: "SLB", 946: "KIR", 947: "TUV", 950: "FJI",
    955: "TON", 970: "NRU", 983: "MHL", 986: "PLW", 987: "FSM", 990: "WSM",
}

COW_PRIORITY: dict[int, int] = {255: 0, 260: 1, 679: 0, 678: 1, 732: 0, 730: 1}
"""Where two COW codes map to one ISO3 in the same year, lower rank wins; the other fills gaps."""

_ISO3_TO_COW: dict[str, int] = {}
for _code, _iso in sorted(COW_TO_ISO3.items(), key=lambda kv: COW_PRIORITY.get(kv[0], 0)):
    _ISO3_TO_COW.setdefault(_iso, _code)


def is_aggregate(code: str | None) -> bool:
    """True for World, regional, income-group and "not specified" codes (WLD, EUU, EAS, …)."""
    return code in AGGREGATES


def is_country(code: str | None) -> bool:
    """True for a state or territory code (not an aggregate, not missing)."""
    return code in COUNTRIES


def country_name(code: str) -> str:
    """English name of a country or aggregate code."""
    return COUNTRIES.get(code) or AGGREGATES.get(code) or code


def validate_iso3(code: str, where: str = "country", allow_aggregates: bool = False) -> str:
    """Return ``code`` upper-cased if it is a known ISO3 code, else raise with suggestions.

    Accepts a country name too (``"Japan"`` -> ``"JPN"``).
    """
    up = str(code).strip().upper()
    if up in COUNTRIES or (allow_aggregates and up in AGGREGATES):
        return up
    hit = _ALIASES.get(normalise_name(code))
    if hit is not None and (hit in COUNTRIES or allow_aggregates):
        return hit
    choices = list(COUNTRIES) + (list(AGGREGATES) if allow_aggregates else [])
    hint = suggest(up, choices) or suggest(normalise_name(code), list(_ALIASES))
    raise HedgelabError(error_line(where, repr(code), f"an ISO3 country code such as JPN, USA, CHN{hint}"))


def nearest_cow(ccode: object, n: int = 3) -> str:
    """A ``(did you mean …?)`` hint with the numerically closest COW codes and their ISO3."""
    try:
        x = int(float(str(ccode)))
    except ValueError:
        return suggest(str(ccode), [str(c) for c in COW_TO_ISO3])
    near = sorted(COW_TO_ISO3, key=lambda c: (abs(c - x), c))[:n]
    return " (did you mean " + ", ".join(f"{c} {COW_TO_ISO3[c]}" for c in near) + "?)"


def cow_to_iso3(ccode: int, where: str = "COW code") -> str:
    """Map one COW state code to ISO3 (see the module docstring for the documented choices)."""
    try:
        return COW_TO_ISO3[int(ccode)]
    except (KeyError, ValueError, TypeError):
        raise HedgelabError(error_line(where, repr(ccode), f"a COW state code (2 USA … 990 WSM){nearest_cow(ccode)}")) from None


def iso3_to_cow(iso3: str) -> int:
    """The current COW code of an ISO3 country (``DEU`` -> 255, ``KOR`` -> 732)."""
    code = validate_iso3(iso3)
    if code not in _ISO3_TO_COW:
        raise HedgelabError(error_line("COW code", code, "a country in the COW state system"))
    return _ISO3_TO_COW[code]


def name_to_iso3(name: str, where: str = "country name", strict: bool = True) -> str | None:
    """Map a source's country or aggregate name to its code.

    Parameters
    ----------
    name : str
        Name as written in the source (IMF ``"Korea, Rep. of"``, SIPRI ``"Korea, South"``,
        ICEWS ``"Korea, Republic Of"``, UNCTAD ``"Republic.of.Korea"``, …).
    where : str
        Prefix of the error line (dataset and file).
    strict : bool
        If False, return None for an unknown name instead of raising.
    """
    hit = _ALIASES.get(normalise_name(name))
    if hit is None and strict:
        hint = suggest(normalise_name(name), list(_ALIASES))
        raise HedgelabError(error_line(where, repr(name), f"a known country or aggregate name{hint}"))
    return hit


def names_to_iso3(names: Iterable[str], where: str = "country name", strict: bool = True) -> dict[str, str | None]:
    """Vectorised :func:`name_to_iso3` over unique names; collects every unknown name in one error."""
    out: dict[str, str | None] = {}
    bad: list[str] = []
    for n in dict.fromkeys(names):
        hit = _ALIASES.get(normalise_name(n))
        out[n] = hit
        if hit is None:
            bad.append(error_line(where, repr(n), f"a known country or aggregate name{suggest(normalise_name(n), list(_ALIASES))}"))
    if bad and strict:
        raise HedgelabError(bad)
    return out


def china_seat_holder(year: int) -> str:
    """ISO3 of the government holding China's UN seat in ``year``: TWN to 1970, CHN from 1971.

    (Resolution 2758 was adopted on 25 October 1971, during session 26.)
    """
    return "TWN" if int(year) < 1971 else "CHN"
