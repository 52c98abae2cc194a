"""CLI: ``hedgelab episodes`` lists and filters the coercion and alliance-pressure catalogue.

Thin adapter over :func:`hedgelab.data.episodes.load_episodes` and ``Catalogue.filter``; the
trigger filter is a case-insensitive substring match on the episode's ``trigger`` text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from hedgelab.cli.common import OutputFormat, reports_errors
from hedgelab.errors import HedgelabError, error_line


@reports_errors
def episodes_command(
    coercer: Annotated[str | None, typer.Option("--coercer", help="The state applying the measures: CHN or USA.")] = None,
    target: Annotated[str | None, typer.Option("--target", "-t", help="Target states, ISO3, comma-separated.")] = None,
    years: Annotated[str | None, typer.Option("--years", "-y", help="Year or range of the start, e.g. 2020 or 2010-2016.")] = None,
    trigger: Annotated[str | None, typer.Option("--trigger", help="Words the trigger text must contain (case-insensitive).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="economic_coercion or alliance_pressure.")] = None,
    catalogue: Annotated[Path | None, typer.Option("--catalogue", help="Another catalogue file (default: the shipped one).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """List documented coercion and alliance-pressure episodes, with their sources."""
    from hedgelab.data.codes import validate_iso3
    from hedgelab.data.episodes import load_episodes
    from hedgelab.data.indicators import parse_years

    cat = load_episodes(catalogue)
    actors = {"CHN", "USA"}
    if coercer is not None and coercer.strip().upper() not in actors:
        raise HedgelabError(error_line("episodes", "--coercer", f"one of {', '.join(sorted(actors))}, got {coercer!r}"))
    kinds = {"economic_coercion", "alliance_pressure"}
    if kind is not None and kind not in kinds:
        raise HedgelabError(error_line("episodes", "--kind", f"one of {', '.join(sorted(kinds))}, got {kind!r}"))
    targets = None if target is None else [validate_iso3(t.strip(), where="--target") for t in target.split(",") if t.strip()]
    span = parse_years(years)
    year_set = None if span is None else range(span[0], span[1] + 1)
    found = cat.filter(kind=kind, actor=None if coercer is None else coercer.strip().upper(), targets=targets, years=year_set)
    if trigger:
        found = [e for e in found if trigger.lower() in e.trigger.lower()]
    rows = [e.model_dump(mode="json") for e in sorted(found, key=lambda e: (e.date, e.id))]
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps({"episodes": rows}) + "\n")
        return
    if fmt is OutputFormat.csv:
        import pandas as pd

        sys.stdout.write(pd.DataFrame(rows, columns=list(type(cat.episodes[0]).model_fields))
                         .assign(source=lambda d: d["source"].map(lambda s: " | ".join(s) if isinstance(s, list) else s))
                         .to_csv(index=False, lineterminator="\n"))
        return
    for r in rows:
        months = f", {r['duration_months']} months" if r["duration_months"] is not None else ""
        print(f"{r['date']}  {r['actor']} -> {r['target']}  {r['kind']}{months}  [{r['id']}]")
        print(f"    trigger:  {r['trigger']}")
        print(f"    measures: {r['measures']}")
        for s in r["source"]:
            print(f"    source:   {s}")
    print(f"{len(rows)} of {len(cat.episodes)} episodes", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add ``episodes`` to ``app``."""
    app.command("episodes")(episodes_command)
