"""Definition notes: the conventions of a source that change the answer a user gets.

Each indicator lists the keys of the notes that apply to it (``@indicator(..., notes=(...))``);
``hedgelab indicators`` prints them as footnotes under its table and in ``--list``, and
docs/indicators.md lists them all (a test checks the docs carry every note). One note, one place:
an indicator module never repeats the text.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NOTES", "Note", "notes_for"]


@dataclass(frozen=True)
class Note:
    """One definition note.

    Attributes
    ----------
    key : str
        Registry key (used by ``@indicator(notes=...)``).
    title : str
        A few words, shown before the text.
    text : str
        What the convention is, and how it changes the values (with a number where the data show one).
    """

    key: str
    title: str
    text: str


NOTES: dict[str, Note] = {
    n.key: n
    for n in [
        Note(
            "dots_reporter",
            "IMF DOTS, the focal state's own report",
            "Values are as reported by the focal state's customs: exports FOB by destination, imports "
            "CIF by origin or by consignment (the reporter's convention), calendar years, current US$ "
            "millions. The partner's mirror report differs (CIF/FOB margin, timing, re-exports).",
        ),
        Note(
            "eu_consignment",
            "EU members record imports by country of consignment",
            "Intra-EU imports in DOTS follow the country from which the goods were consigned, not where "
            "they were made: Chinese goods landed in Rotterdam count as German imports from the "
            "Netherlands. Germany's 2016 imports from the Netherlands (US$139.9 bn) are about 1.8 times "
            "those from China (US$77.5 bn), and the Netherlands, not China, ranks first among Germany's "
            "partners; national statistics by country of origin rank China first. Applies to Germany, "
            "the United Kingdom (to 2020) and every other EU reporter.",
        ),
        Note(
            "calendar_year",
            "Calendar years",
            "Every series is by calendar year. Where a state budgets by fiscal year (Japan: April-March; "
            "the US: October-September; India: April-March) SIPRI converts to calendar years, so a "
            "calendar-year value differs from the fiscal-year figure a ministry publishes.",
        ),
        Note(
            "sipri_definition",
            "SIPRI's definition of military expenditure",
            "SIPRI counts all current and capital spending on the armed forces (peacekeeping included), "
            "defence ministries and agencies, paramilitary forces judged trained and equipped for "
            "military operations, and military space activities, including personnel (pensions "
            "included) and military R&D. NATO's definition (used for the 2% guideline) and national "
            "budget lines differ: Japan's own 2027 target counts the Coast Guard and related "
            "infrastructure, so government figures for Japan run above SIPRI's.",
        ),
        Note(
            "sipri_release",
            "Two SIPRI releases joined at 2023/2024",
            "The SIPRI 2024 workbook (to 2023) is used for every year it covers, and Our World in Data's "
            "republication of the 2025 release only for 2024. Each release revises past years (Japan "
            "2023: 1.196% of GDP in the 2024 workbook, 1.14% in the 2025 release), so the step from 2023 "
            "to 2024 mixes revision with change.",
        ),
        Note(
            "sipri_constant",
            "Constant 2022 US$",
            "SIPRI's constant-dollar series deflates local-currency spending by the country's consumer "
            "price index and converts at the 2022 market exchange rate; real growth is computed from it, "
            "so it measures change in domestic purchasing power, not in dollars. Current US$ values "
            "also move with exchange rates (the yen's fall after 2021 lowers Japan's dollar figures).",
        ),
        Note(
            "sipri_tiv",
            "SIPRI trend-indicator values (TIV)",
            "TIV measure the volume of major conventional arms delivered (a unit cost of military "
            "capability), not their financial value; they are comparable across suppliers and years but "
            "not with prices or budgets. Annual deliveries are lumpy, so SIPRI compares 5-year windows; "
            "hedgelab's windows end with the latest delivery year and the row's year is the window's "
            "last year. Deliveries before 1995 are not in the data.",
        ),
        Note(
            "unctad_immediate",
            "FDI by immediate origin, net flows",
            "UNCTAD records the host's inflows by the immediate investor's economy: investment routed "
            "through Hong Kong, Singapore, the Netherlands or Caribbean centres is booked there, so a "
            "state's direct figure understates its exposure. Net flows can be negative "
            "(disinvestment); growth is given only between two positive years.",
        ),
        Note(
            "unga_voeten",
            "Voeten agreement (the ideal-point files' *Agree columns)",
            "Share of the roll calls of a session on which both states voted and cast the same vote "
            "(yes, no or abstain), counting only the roll calls Voeten keeps for the agreement scores: "
            "votes on whole resolutions and decisions recorded with a date, after dropping duplicate "
            "roll calls (see docs/indicators.md, 'UNGA: which roll calls count').",
        ),
        Note(
            "unga_state_department",
            "US State Department voting coincidence",
            "Identical votes divided by identical plus opposite (yes vs no) votes; abstentions and "
            "absences are left out. It runs 10-30 points above Voeten's agreement for states that "
            "often abstain when the other votes (Japan-US session 72, 2017: 55% against 27%).",
        ),
    ]
}


def notes_for(keys: tuple[str, ...] | list[str]) -> list[Note]:
    """The notes for ``keys``, in order, each once."""
    return [NOTES[k] for k in dict.fromkeys(keys)]
