"""CLI commands of the data side: ``hedgelab indicators``, ``top-partners``, ``data status`` and ``data sources``.

Thin adapters: parse options, call :func:`hedgelab.data.indicators.compute` or
:func:`hedgelab.data.status.dataset_status`, print. ``indicators`` is generic over the
indicator registry, so indicators added by other modules need no change here.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from hedgelab.cli.common import OutputFormat, reports_errors, stdout_console
from hedgelab.errors import HedgelabError, error_line

data_app = typer.Typer(help="Datasets: where they are, what they hold.", no_args_is_help=True)


def _split(text: str | None) -> list[str] | None:
    if text is None or text.strip() == "":
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def _json_rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for r in df.itertuples(index=False):
        value = float(r.value)
        if not math.isfinite(value):
            continue
        rows.append(
            {
                "indicator": str(r.indicator),
                "partner": None if r.partner is None or (isinstance(r.partner, float) and math.isnan(r.partner)) else str(r.partner),
                "year": int(r.year),
                "value": value,
                "unit": str(r.unit),
                "source": str(r.source),
            }
        )
    return rows


def _value_text(value: float) -> str:
    """A value for the table: levels (|v| >= 1000) with thousands separators, others to 4 significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _plot(df: pd.DataFrame, country: str, path: Path) -> None:
    """The time series as :func:`hedgelab.report.plots.indicator_series` draws them (the dashboard's
    Data page chart), written to ``path`` (PNG or SVG)."""
    from hedgelab.report import plots

    plots.image_format(path)  # a wrong suffix is refused before anything is drawn
    if df.empty:
        raise HedgelabError(error_line("--plot", str(path), "at least one indicator value to draw"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise HedgelabError(error_line("--plot", str(path), f"a writable image path ({err.strerror})")) from None
    plots.save_chart(plots.indicator_series(df, country), path)


def _notes(names: list[str]) -> dict[str, list[str]]:
    """Definition notes per indicator: ``{indicator: [note key, …]}`` for the given names."""
    from hedgelab.data.indicators import registry

    reg = registry()
    return {n: list(reg[n].notes) for n in names if n in reg}


def _print_footnotes(names: list[str]) -> None:
    """Numbered footnotes: each note once, with the indicators it applies to."""
    from hedgelab.data.definitions import notes_for

    per = _notes(names)
    keys = [k for ks in per.values() for k in ks]
    if not keys:
        return
    stdout_console.print("Definitions that change these values:", highlight=False)
    for i, note in enumerate(notes_for(keys), start=1):
        users = ", ".join(n for n, ks in per.items() if note.key in ks)
        stdout_console.print(f"  [{i}] {note.title} ({users}): {note.text}", highlight=False, soft_wrap=True)


def _list_indicators(fmt: OutputFormat) -> None:
    from hedgelab.data.definitions import NOTES
    from hedgelab.data.indicators import registry
    from hedgelab.data.shipped_table import SHIPPED_INDICATORS

    rows = [
        {"indicator": i.name, "unit": i.unit, "datasets": list(i.datasets), "dyadic": i.dyadic,
         "shipped": i.name in SHIPPED_INDICATORS, "summary": i.summary,
         "notes": [NOTES[k].title for k in i.notes]}
        for i in registry().values()
    ]
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps({"indicators": rows}) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(pd.DataFrame(rows).assign(datasets=lambda d: d["datasets"].map("+".join),
                                                   notes=lambda d: d["notes"].map("; ".join))
                         .to_csv(index=False, lineterminator="\n"))
    else:
        for r in rows:
            kind = "dyadic" if r["dyadic"] else "national"
            shipped = "shipped" if r["shipped"] else "needs --data-dir"
            print(f"{r['indicator']:<24} {r['unit']}  [{kind}; {', '.join(r['datasets'])}; {shipped}]")
            print(f"    {r['summary']}")
            for title in r["notes"]:
                print(f"    note: {title}")


@reports_errors
def indicators_command(
    country: Annotated[str | None, typer.Option("--country", "-c", help="Focal state, ISO3 (e.g. JPN).")] = None,
    partners: Annotated[
        str | None, typer.Option("--partners", "-p", help=(
            "Partners, ISO3, comma-separated (default USA,CHN); 'all' = every partner each source has "
            "(countries only, unless --aggregates); WLD = the world total where the source has it."))
    ] = None,
    aggregates: Annotated[
        bool, typer.Option("--aggregates", help="With --partners all: also aggregates (World, EU, regions).")
    ] = False,
    indicators: Annotated[
        str | None, typer.Option("--indicators", "-i", help="Indicator names, comma-separated (default: all available).")
    ] = None,
    years: Annotated[str | None, typer.Option("--years", "-y", help="Year or range, e.g. 2019 or 1990-2020.")] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Data directory (else $HEDGELAB_DATA; else the table shipped with hedgelab)."),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the time series to this image file (.png or .svg).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the indicators (unit, datasets, shipped) and exit.")] = False,
) -> None:
    """Compute hedging indicators for one country against its partners, year by year."""
    from hedgelab.data.indicators import compute

    if list_:
        _list_indicators(fmt)
        return
    if country is None:
        raise HedgelabError(error_line("indicators", "--country", "a focal state, ISO3 (e.g. --country JPN)"))

    df = compute(country, _split(indicators), _split(partners), years, data_dir, include_aggregates=aggregates)
    for note in df.attrs.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    focal = str(df["country"].iloc[0]) if not df.empty else country.strip().upper()
    if plot is not None:
        _plot(df, focal, plot)
    if fmt is OutputFormat.json:
        from hedgelab.data.definitions import NOTES

        names = list(dict.fromkeys(df["indicator"]))
        notes = {n: [{"key": k, "title": NOTES[k].title, "text": NOTES[k].text} for k in ks]
                 for n, ks in _notes(names).items()}
        sys.stdout.write(json.dumps({"country": focal, "rows": _json_rows(df), "notes": notes}, allow_nan=False) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(df.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
    else:
        from rich.table import Table

        table = Table(title=f"Indicators for {focal}", show_lines=False)
        for col in ("indicator", "partner", "year", "value", "source"):
            table.add_column(col, justify="right" if col in ("year", "value") else "left", no_wrap=True)
        for r in df.itertuples(index=False):
            table.add_row(r.indicator, r.partner or "", str(r.year), _value_text(r.value), r.source)
        stdout_console.print(table)
        for name, unit in dict(zip(df["indicator"], df["unit"])).items():
            stdout_console.print(f"  {name}: {unit}", highlight=False)
        _print_footnotes(list(dict.fromkeys(df["indicator"])))
        if df.empty:
            print("no values for this selection", file=sys.stderr)
    if plot is not None:
        print(f"wrote {plot}", file=sys.stderr)


@reports_errors
def status_command(
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory (else $HEDGELAB_DATA).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """List each dataset: found or not, where, rows, years, checksum, licence, how to obtain it.

    Exit code: 0 all present and matching SHA256SUMS, 1 data missing, 2 a checksum mismatch.
    """
    from hedgelab.data.sources import find_data_dir
    from hedgelab.data.status import dataset_status, status_code

    rows = dataset_status(data_dir)
    code = status_code(rows)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps({"datasets": rows, "status": code}) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(pd.DataFrame(rows).assign(
            mismatched=lambda d: d["mismatched"].map(" ".join),
            files_missing=lambda d: d["files_missing"].map(" ".join)).to_csv(index=False, lineterminator="\n"))
    else:
        root = find_data_dir(data_dir)
        where = "none (pass --data-dir or set HEDGELAB_DATA)" if root is None else (
            str(root) if root.is_dir() else f"{root} (does not exist)")
        print(f"data directory: {where}")
        for r in rows:
            state = "found" if r["found"] else "MISSING"
            line = f"{r['dataset']:<22} {state:<8}"
            if r["found"]:
                check = f" ({r['checksum']})" if r["checksum"] else ""
                line += f" rows {r['rows']:>7}  years {r['years'] or '?':<10} sha256 {r['sha256'][:12]}{check}"
                if r["files_missing"]:
                    line += f"  missing: {', '.join(r['files_missing'])}"
                if r["mismatched"]:
                    line += f"  checksum differs: {', '.join(r['mismatched'])}"
            print(line)
            print(f"    where:   {r['where'] or '-'}")
            print(f"    licence: {r['licence']}{'' if r['redistributable'] else ' [not shipped]'}")
            if not r["found"]:
                print(f"    obtain:  {r['obtain']}")
    for r in rows:
        for f in r["mismatched"]:
            print(error_line(f"{r['dataset']}: {f}", "sha256", "the checksum listed in SHA256SUMS (the file differs)"),
                  file=sys.stderr)
    if code:
        raise typer.Exit(code=code)


@reports_errors
def partners_command(
    country: Annotated[str, typer.Option("--country", "-c", help="Focal state (the reporter), ISO3.")],
    year: Annotated[int, typer.Option("--year", "-y", help="Calendar year.")],
    by: Annotated[str, typer.Option("--by", help="Rank by exports, imports or total (US$).")] = "total",
    top: Annotated[int, typer.Option("--top", "-n", help="How many partners (0 = all).")] = 10,
    aggregates: Annotated[bool, typer.Option("--aggregates", help="Rank aggregates (World, EU, regions) too.")] = False,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory (else $HEDGELAB_DATA).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """Rank a state's goods-trade partners in a year, over every partner in IMF DOTS."""
    from hedgelab.data.definitions import NOTES
    from hedgelab.data.rankings import top_partners

    df = top_partners(country, year, by=by, n=top or None, include_aggregates=aggregates, data_dir=data_dir)
    notes = [NOTES[k] for k in ("dots_reporter", "eu_consignment")]
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps({"country": country.upper(), "year": year, "by": by, "unit": "US$ m (current)",
                                     "partners": json.loads(df.to_json(orient="records")),
                                     "notes": [{"key": n.key, "title": n.title, "text": n.text} for n in notes]}) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(df.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
        return
    print(f"{country.upper()} {year}: partners by {by} (IMF DOTS, US$ m current; share of the flow with the World)")
    print(f"{'rank':>4}  {'partner':<7} {'name':<28} {'exports':>10} {'imports':>10} {'total':>10} {'balance':>10} {'share':>6}")
    for r in df.itertuples(index=False):
        print(f"{r.rank:>4}  {r.partner:<7} {str(r.partner_name)[:28]:<28} {r.exports:>10,.0f} {r.imports:>10,.0f} "
              f"{r.total:>10,.0f} {r.balance:>10,.0f} {100 * r.share:>5.1f}%")
    for i, n in enumerate(notes, start=1):
        stdout_console.print(f"  [{i}] {n.title}: {n.text}", highlight=False, soft_wrap=True)


@reports_errors
def sources_command(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """For each dataset: publisher, where to download it, licence, the files a data directory needs, and what
    hedgelab does with it."""
    from hedgelab.data.sources import DATASETS, ENV_VAR, MANIFEST

    rows = [{"dataset": d.name, "title": d.title, "publisher": d.publisher, "download": d.obtain,
             "licence": d.licence, "citation": d.citation, "redistributable": d.redistributable,
             "files": [f"{d.dir_name}/{f}" for f in d.files], "years": d.years, "uses": d.uses}
            for d in DATASETS.values()]
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps({"datasets": rows}) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(pd.DataFrame(rows).assign(files=lambda d: d["files"].map(" ".join))
                         .to_csv(index=False, lineterminator="\n"))
        return
    print(f"A data directory holds one folder per dataset with the files below (pass it as --data-dir DIR or set "
          f"{ENV_VAR}); an optional {MANIFEST} (sha256sum format) is verified before any file is used. "
          "Without one, `hedgelab indicators` reads the table shipped with hedgelab.")
    for r in rows:
        print()
        print(f"{r['dataset']}: {r['title']} ({r['years']})")
        print(f"    publisher: {r['publisher']}")
        print(f"    download:  {r['download']}")
        print(f"    licence:   {r['licence']}{'' if r['redistributable'] else ' [hedgelab never ships values from it]'}")
        print(f"    cite:      {r['citation']}")
        for f in r["files"]:
            print(f"    file:      {f}")
        print(f"    used for:  {r['uses']}")


def register(app: typer.Typer) -> None:
    """Add ``indicators``, ``top-partners`` and the ``data`` group to ``app`` (``partners`` is the model's third-party command)."""
    app.command("indicators")(indicators_command)
    app.command("top-partners")(partners_command)
    data_app.command("status")(status_command)
    data_app.command("sources")(sources_command)
    app.add_typer(data_app, name="data")
