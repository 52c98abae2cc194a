"""Render docs/adaptive.md: tipping points, signposts, adaptive pathways and the trilemma front on
japan-2026, every output produced by running the commands shown (a few minutes on 2 cores).

    python scripts/render_adaptive_docs.py            # rewrite docs/adaptive.md
    python scripts/render_adaptive_docs.py --check    # exit 1 if the file would change (timings aside)
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import tomlkit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_explore_docs import UNCERTAIN, block, run  # noqa: E402  (the same runner and uncertainties)

import numpy as np  # noqa: E402

from hedgelab.analysis.explore.front import OBJECTIVES, PRECISION, lever_values, levers  # noqa: E402
from hedgelab.analysis.explore.quarterly import OBSERVABLES, SWITCH_SIGNALS  # noqa: E402
from hedgelab.analysis.explore.signposts import HELD_OUT, MAX_FALSE_ALARM, MIN_LEAD  # noqa: E402
from hedgelab.analysis.explore.sweep import OBSERVED_PATHS  # noqa: E402
from hedgelab.scenarios.loader import builtin_strategies  # noqa: E402

ADAPTIVE = ("dual_hedge_to_autonomy", "dual_hedge_to_autonomy_late", "dual_hedge_to_anchor")
BUILT_IN = ("vigilant_hedge", "adaptive_dual_hedge")
"""The threat-aware and adaptive built-in variants, evaluated beside the nine and the three above."""
ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "adaptive.md"
FIGURES = ROOT / "docs" / "adaptive"
PRESETS = "dual_hedge,multi_hedge,anchor,tilt_china,russia_hedge,autonomy,leverage,neutral,incremental"
SATISFICING = 0.45
"""The security the dual hedge must keep (the satisficing level of docs/explore.md)."""
CRITERIA = f"--threshold security={SATISFICING} --versus anchor --metric prosperity"
"""When the dual hedge stops working: its rolling security falls below 0.45 (the satisficing level of
docs/explore.md) or its rolling prosperity below the anchor's (it has lost its edge)."""
SAMPLE = "--samples 200 --design lhs --paths 200 --years 10 --seed 0"
FRESH = SAMPLE.replace("--seed 0", "--seed 1")
"""The adaptive strategies are judged on fresh futures and shocks (design and shock seed 1), not on
those their signpost was fitted on."""
SWITCH_COST = 0.2
"""% of GDP, once (judgement, as in the built-in adaptive_dual_hedge)."""
CONFIRM, LATE = 2, 8
"""Quarters the signpost must hold before switching: promptly, and after two years. Signposts are
fitted with ``--hold CONFIRM``: the prompt switch fires exactly when the fitted signpost does."""


def parse(output: str) -> dict:
    """The JSON object a command printed (anything after it, such as a warning, ignored)."""
    return json.JSONDecoder().raw_decode(output)[0]


def keep(plot: Path) -> None:
    """Copy a plot drawn by a command into docs/adaptive/ (what the page shows; not with --check)."""
    if "--check" in sys.argv:
        return
    FIGURES.mkdir(exist_ok=True)
    (FIGURES / plot.name).write_bytes(plot.read_bytes())


def switch_on(rows: list[dict]) -> tuple[dict, bool]:
    """The best fitted signpost the policy family can switch on (an observable it watches, above a
    threshold), preferring one that warns along the path to one that fires at once; and whether it
    fires at once."""
    usable = [r for r in rows if r["threshold"] is not None and r["direction"] == "above" and r["signal"] in SWITCH_SIGNALS]
    along = [r for r in usable if not r["at_once"]]
    return (along or usable)[0], not along


def adaptive_scenario(signal: str, threshold: float) -> str:
    """A scenario file adding dual hedges that switch on the signpost (to autonomy, promptly and late;
    to the anchor, promptly)."""
    base = builtin_strategies()["dual_hedge"].model_dump(exclude_defaults=True, exclude={"description"})
    doc = tomlkit.document()
    doc.add("base", "japan-2026")
    table = tomlkit.table(is_super_table=True)
    for name, to, quarters in (("dual_hedge_to_autonomy", "autonomy", CONFIRM),
                               ("dual_hedge_to_autonomy_late", "autonomy", LATE),
                               ("dual_hedge_to_anchor", "anchor", CONFIRM)):
        entry = tomlkit.table()
        entry.add("description", f"dual_hedge; switches to {to} once {signal} has stayed above {threshold:.3g} "
                                 f"for {quarters} quarters (the best signpost of docs/adaptive.md)")
        for key, value in base.items():
            if isinstance(value, dict):
                inline = tomlkit.inline_table()
                inline.update(value)
                entry.add(key, inline)
            else:
                entry.add(key, value)
        switch = tomlkit.inline_table()
        switch.update({"to": to, "signal": signal, "threshold": round(threshold, 3), "quarters": quarters,
                       "cost": SWITCH_COST})
        entry.add("switch", switch)
        table.add(name, entry)
    doc.add("strategies", table)
    return tomlkit.dumps(doc)


def render(workdir: Path) -> str:
    presets = PRESETS.split(",")
    explore = f"explore --out futures --strategies {PRESETS} --uncertainties {UNCERTAIN} {SAMPLE} --quarterly"
    explore_out = run(explore, workdir)
    tipping_cmd = f"tipping futures --strategy dual_hedge {CRITERIA}"
    tipping_out = run(tipping_cmd + " --plot tipping.png", workdir)
    keep(workdir / "tipping.png")
    tip = parse(run(tipping_cmd + " --format json", workdir))
    signposts_cmd = f"signposts futures --strategy dual_hedge {CRITERIA} --hold {CONFIRM}"
    signposts_out = run(signposts_cmd + " --plot signposts.png", workdir)
    keep(workdir / "signposts.png")
    posts = parse(run(signposts_cmd + " --format json", workdir))
    fitted = [r for r in posts["rows"] if r["threshold"] is not None]
    best = fitted[0] if fitted else None
    switchable, switch_at_once = switch_on(fitted)
    signal = SWITCH_SIGNALS[switchable["signal"]]
    (workdir / "adaptive.toml").write_text(adaptive_scenario(signal, switchable["threshold"]))
    adaptive = (f"explore --scenario adaptive.toml --out adaptive --strategies {PRESETS},{','.join(BUILT_IN)},"
                f"{','.join(ADAPTIVE)} --uncertainties {UNCERTAIN} {FRESH} --quarterly")
    adaptive_out = run(adaptive, workdir)
    robust_cmd = f"robust adaptive --metric prosperity --threshold security={SATISFICING}"
    robust_out = run(robust_cmd, workdir)
    robust = parse(run(robust_cmd + " --format json", workdir))
    ranks = {r["strategy"]: r for r in robust["rows"]}
    paths_cmd = [f"pathways adaptive --adaptive {a} --stay dual_hedge --at-once {b} {CRITERIA.split(' --versus')[0]}"
                 for a, b in (("dual_hedge_to_autonomy", "autonomy"), ("dual_hedge_to_autonomy_late", "autonomy"),
                              ("dual_hedge_to_anchor", "anchor"), ("adaptive_dual_hedge", "autonomy"))]
    depth = {m: {r["strategy"]: r for r in parse(run(f"robust adaptive --metric {m} --format json", workdir))["rows"]}
             for m in ("depth", "security_without_us_at_crisis")}
    paths_out = [run(paths_cmd[0], workdir)]
    late_cmd = ("pathways adaptive --adaptive dual_hedge_to_autonomy_late --stay dual_hedge --at-once autonomy "
                "--metric security_without_us_at_crisis")
    late_out = run(late_cmd, workdir)
    late_json = parse(run(late_cmd + " --format json", workdir))
    paths_json = [parse(run(c + " --format json", workdir)) for c in paths_cmd]
    tip_adaptive = {name: parse(run(f"tipping adaptive --strategy {name} {CRITERIA} --format json", workdir))
                    for name in ("dual_hedge", *ADAPTIVE, "adaptive_dual_hedge")}
    front_cmd = "front --scenario adaptive.toml --seed 0"
    front_out = run(front_cmd + " --plot front.png", workdir)
    keep(workdir / "front.png")
    front = parse(run(front_cmd + " --format json", workdir))
    named = {r["strategy"]: r for r in front["named"]}
    scenario_text = (workdir / "adaptive.toml").read_text()

    def share(x: float) -> str:
        return f"{x:.0%}"

    q = tip["tip_year_quantiles"]
    qa = tip["tip_year_quantiles_after_start"]
    box = tip["box"]
    box_text = ("no PRIM box (every future or none tips early)" if box is None else
                f"a PRIM box holding {box['coverage']:.0%} of the futures that tip within {tip['early_year']:g} "
                f"years at a density of {box['density']:.0%}, restricted on " + ", ".join(
                    f"`{r['parameter']}` in [{r['low']:.3g}, {r['high']:.3g}]" + (
                        f" (qp {min(v for v in (r['qp_low'], r['qp_high']) if v is not None):.2g})"
                        if any(v is not None for v in (r['qp_low'], r['qp_high'])) else "")
                    for r in box["limits"]))
    measures = [k for k in ranks["dual_hedge"] if k.startswith("rank_") and k != "rank_range"]

    n_start = posts["n_fit_from_start"] + posts["n_heldout_from_start"]
    flagged = [r["signal"] for r in fitted if r["at_once"]]
    unfitted = [r["signal"] for r in posts["rows"] if r["threshold"] is None]
    scope = (f"Scored on single paths: {posts['n_paths']} paths of each of {posts['n_held_out']} held-out futures "
             f"({posts['n_fit']} fitting futures chose the thresholds); {n_start} futures that fail from the start "
             f"are left out. Each signpost fires after {posts['hold']} quarters beyond its threshold (the prompt "
             f"switch below).")
    hits = [r for r in posts["firing"] if best is not None and r["signal"] == best["signal"]]
    first_year = sum(r["hit"] for r in hits if r["quarter"] <= 4) / max(sum(r["hit"] for r in hits), 1)
    if best is None:
        signpost_text = (f"{scope} Best signpost: **none**: no observable gives any warning with at most "
                         f"{MAX_FALSE_ALARM:.0%} false alarms on the fitting futures.")
    else:
        signpost_text = (
            f"{scope}\n\nThe best signpost is **`{best['signal']}` {best['direction']} {best['threshold']:.3g}** "
            f"({best['unit']}). On the held-out futures, path by path: it fires in time (at least {MIN_LEAD} quarter "
            f"before the tipping quarter) on {share(best['heldout_hit_rate'])} of the paths of futures where the dual "
            f"hedge tips, with a median lead of {best['heldout_median_lead']:g} quarters among those hits; it fires on "
            f"{share(best['heldout_false_alarm_rate'])} of the paths of futures where the dual hedge never tips (false "
            f"alarms); that is {best['heldout_warning']:.2g} quarters of warning per path of a tipping future, misses "
            f"counting zero. Its hits fire in quarter {best['heldout_median_fire']:g} (median), "
            f"{share(best['heldout_first_quarter'])} of them in the first quarter they can and {share(first_year)} in the "
            f"first year: " + ("much of its warning is the future's level showing early on the path (its sampled "
                                "parameters), not a late turn." if first_year >= 0.5 else
                                "most of it comes from a turn later on the path.")
            + " The held-out columns are "
            "the honest ones: the threshold was chosen on the other futures."
            + (f" Flagged as firing at once (every hit in the first quarter: they read which future it is): "
               f"{', '.join(f'`{n}`' for n in flagged)}." if flagged else
               " No fitted signpost has all its hits in the first quarter.")
            + (f" No threshold warns at all within the false-alarm cap for "
               f"{', '.join(f'`{n}`' for n in unfitted)} (none)." if unfitted else ""))

    def rank_line(name: str) -> str:
        return ", ".join(f"{m[5:]} {ranks[name][m]:g}" for m in measures)

    def verdict(data: dict) -> str:
        s, o = data["beats_stay"], data["beats_at_once"]
        by = data["switched_by_tipping"]
        return (f"`{data['adaptive']}` (switching on {share(data['share_of_paths_switched'])} of paths: "
                f"{share(by['never_tips']['share_of_paths_switched'])} in the {by['never_tips']['n_futures']} futures where the "
                f"dual hedge never tips, false alarms acted on; {share(by['tips']['share_of_paths_switched'])} in the "
                f"{by['tips']['n_futures']} where it tips) beats staying "
                f"with the dual hedge in {share(s['share_better'])} of futures "
                f"(prosperity {s['mean_difference']:+.3f} ± {s['mean_difference_se']:.3f} % of GDP a year on average) "
                f"and beats switching to `{data['at_once']}` at once in {share(o['share_better'])} "
                f"({o['mean_difference']:+.3f} ± {o['mean_difference_se']:.3f})")

    def wo(name: str) -> str:
        row = depth["security_without_us_at_crisis"][name]
        return f"{row['mean']:.3f} ± {row['mean_se']:.2g}"

    def dp(name: str) -> str:
        row = depth["depth"][name]
        return f"{row['mean']:.3f} ± {row['mean_se']:.2g}"

    def beats_presets(name: str) -> str:
        return ", ".join(f"{m[5:]} {sum(ranks[name][m] < ranks[p][m] for p in presets)}" for m in measures)

    prompt, late = ranks["dual_hedge_to_autonomy"], ranks["dual_hedge_to_autonomy_late"]
    beaten = {name: [sum(ranks[name][m] < ranks[p][m] for p in presets) for m in measures]
              for name in (*ADAPTIVE, "adaptive_dual_hedge")}
    everywhere = [n for n, counts in beaten.items() if min(counts) == len(presets)]
    best_adaptive = max(beaten, key=lambda n: sum(beaten[n]))
    others = [n for n in beaten if n != best_adaptive]
    more_robust = (
        f"**Yes** for {', '.join(f'`{n}`' for n in everywhere)}: it ranks above all nine presets under every measure."
        if everywhere else
        f"**Not uniformly.** The most robust adaptive dual hedge, `{best_adaptive}`, ranks above "
        f"{min(beaten[best_adaptive])} to {max(beaten[best_adaptive])} of the nine presets depending on the measure; "
        + ", ".join(f"`{n}` above at most {max(beaten[n])}" for n in others) + ".")
    late_rows = {r["strategy"]: r for r in late_json["rows"]}
    late_gain = late_json["beats_stay"]["mean_difference"]  # late − staying, paired
    late_vs_prompt = late_rows["dual_hedge_to_autonomy"]["paired_difference"]  # late − prompt, paired
    late_vs_prompt_se = late_rows["dual_hedge_to_autonomy"]["paired_difference_se"]
    prompt_gain = late_gain - late_vs_prompt
    kept = late_gain / prompt_gain if prompt_gain > 0 else float("nan")
    too_late = (
        f"switching late keeps {late_gain:+.3f} ± {late_json['beats_stay']['mean_difference_se']:.1g} of security "
        f"without the US at the crisis over staying with the dual hedge, switching promptly {prompt_gain:+.3f} "
        f"(late minus prompt {late_vs_prompt:+.3f} ± {late_vs_prompt_se:.1g}, paired over the same futures and "
        f"shocks): waiting {LATE} quarters rather than {CONFIRM} keeps {kept:.0%} of the prompt switch's gain in depth"
        + (", so late is partly too late" if kept < 1 and abs(late_vs_prompt) > 2 * late_vs_prompt_se else
           ", no measurable loss"))
    settings = front["settings"]
    recheck = front["recheck"]
    closest = min(presets, key=lambda n: named[n]["distance"])
    on_front = [n for n in named if named[n]["on_front"]]
    values = np.array([[r[o] for o in OBJECTIVES] for r in front["rows"]])
    corr = np.corrcoef(values.T)

    def together(r: float) -> str:
        return "they move together" if r > 0.5 else "they trade off" if r < -0.5 else "loosely related"
    chosen = levers(settings["levers"])
    rival = next(r for r in front["rows"] if r["point"] == named["dual_hedge"]["dominated_by"])
    mine = lever_values(builtin_strategies()["dual_hedge"], chosen)
    moves = sorted(((rival[lv.name] - x) / (lv.high - lv.low), lv, x) for lv, x in zip(chosen, mine))
    moves = sorted(moves, key=lambda m: -abs(m[0]))[:5]
    moved = "; ".join(f"`{lv.name}` {x:.2g} → {rival[lv.name]:.2g} ({lv.unit})" for _, lv, x in moves)
    return f"""# Tipping points, signposts and adaptive pathways

Generated by `python scripts/render_adaptive_docs.py` from real runs of the commands shown (the
numbers change when the model does; rerun the script). Every command is also a Python function
returning labelled data (pandas / xarray) with units.

The seeds' sharpest questions are about time: when does the dual hedge stop working, would Japan
see it coming, and does changing course in time help? The planning literature under deep
uncertainty answers with *adaptation tipping points* (when a policy stops meeting its objectives),
*signposts* (observable signals that warn in time) and *adaptive pathways* (switching policy when a
signpost fires). hedgelab builds them on the exploration machinery of [explore.md](explore.md).

| question | command | Python |
|---|---|---|
| keep each future's quarterly means, and the observables on its first {OBSERVED_PATHS} paths | `hedgelab explore … --quarterly [--observed-paths K]` | `sweep.sweep(..., series=quarterly.SERIES, observed=signposts.OBSERVED_SERIES)` |
| when does strategy A stop working, future by future? | `hedgelab tipping DIR --strategy A --threshold METRIC=BOUND [--versus B --metric M]` | `tipping.tipping` |
| what warns in time, and how reliably? | `hedgelab signposts DIR --strategy A …` | `signposts.signposts` |
| does switching on a signpost beat staying put and switching at once? | `hedgelab pathways DIR --adaptive X --stay A --at-once B` | `pathways.pathways` |
| the China–Taiwan trilemma front and the strategies against it | `hedgelab front [--scenario S]` | `front.front` |

Every command takes `--format table|json|csv`; `tipping`, `signposts` and `front` take
`--plot FILE.png|svg` (tipping-date distribution, lead-time / false-alarm trade-off, the front in
its three 2-D projections).

**Definitions.** *Tipping*: for a strategy and a sampled future, the first quarter from which the
across-path mean of the 4-quarter rolling objective fails a criterion in every quarter to the
horizon (below a threshold for security or prosperity, above it for a risk such as
`rate_coercion`, or below another strategy's). Tipping is a property of a future (of its
ensemble). *Signpost*: an observable (the environment the model tracks, and the model counterparts
of measured indicators: {", ".join(f"`{n}` ({o.unit})" for n, o in OBSERVABLES.items())}), a direction, a
threshold and a hold. A government sees one path of history, not an ensemble mean, so signposts
are scored **path by path**: on each of the first {OBSERVED_PATHS} paths a sweep keeps of every future, the
signpost fires in the first quarter by which that path's observable has been beyond the threshold
for the hold's number of quarters (the switching rule of the policy family). On a path of a future
that tips in quarter T, firing in quarter t is a *hit* when T − t is at least {MIN_LEAD} quarter (the
lead time); on a path of a future that never tips, firing at all is a *false alarm*. Hit rate and
false-alarm rate are shares of paths; *warning* is the mean lead over the paths of tipping
futures, misses counting zero. Futures that fail from the start (tipping in the first quarter the
rolling objective exists) cannot be warned of and are left out of the hit rates. Thresholds are
fitted on {1 - HELD_OUT:.0%} of the futures (the most warning with at most {MAX_FALSE_ALARM:.0%} false alarms; ties to the
fewest false alarms, then the middle of the tied thresholds) and scored on the other {HELD_OUT:.0%}. A
signpost whose hits all fire in the first quarter it can is flagged (`at_once`): it reads which
future the path is in, not a change along the path.

## Worked example: does the dual hedge stop working, and when?

The thirteen uncertainties of [explore.md](explore.md), the nine presets, 200 futures × 200
paths × 10 years, keeping quarterly means:

{block(explore, explore_out)}

### When it tips

The dual hedge *works* while its rolling security stays at {SATISFICING} or more and its rolling prosperity
at least the anchor's (it keeps its edge):

{block(tipping_cmd, tipping_out)}

It never tips in {share(tip['share_never'])} of the {tip['n_futures']} futures. In {tip['n_from_start']} of them
({share(tip['share_from_start'])}) it fails from the start: it tips in quarter {tip['window']}, the first quarter with a
rolling value (no signpost can warn of these). The tipping year has quantiles p10 {q['p10']}, p50 {q['p50']},
p90 {q['p90']} over all futures ("never" where fewer futures tip); without the futures failing from the
start p10 {qa['p10']}, p50 {qa['p50']}, p90 {qa['p90']}. The futures where it tips early are described by {box_text}. `--plot tipping.png` draws the distribution:

![tipping dates of the dual hedge](adaptive/tipping.png)

### Would Japan see it coming?

{block(signposts_cmd, signposts_out)}

{signpost_text}

![signposts of the dual hedge](adaptive/signposts.png)

### Can adapting in time save it?

The best signpost the policy family can switch on is `{switchable['signal']}` above {switchable['threshold']:.3g}{
" (its hits all fire at once: no better one warns along the path)" if switch_at_once else ""}. Three adaptive
dual hedges switch on it, at a one-off cost of {SWITCH_COST}% of GDP (judgement): to autonomy after {CONFIRM}
quarters above the threshold, to autonomy after {LATE} quarters (late), and to the anchor after {CONFIRM}. Each
path switches on its own observed level, the quantity the threshold was fitted on (per path, held
{CONFIRM} quarters): the prompt switches follow the signpost's rule (threshold rounded to three digits),
so where the signpost was scored (held-out futures, its tipping criteria) they would switch on
{share(switchable['heldout_false_alarm_rate'])} of the paths of futures where the dual hedge never tips and in time on
{share(switchable['heldout_hit_rate'])} of the paths of futures where it tips. `pathways` below counts the switches
on fresh futures, grouped by tipping under security alone (it has no `--versus`), so its groups
differ. The scenario file (`adaptive.toml`):

```toml
{scenario_text.rstrip()}
```

The adaptive strategies are judged on fresh futures and shocks (seed 1), not on those the signpost
was fitted on:

{block(adaptive, adaptive_out)}

{block(robust_cmd, robust_out)}

Ranks among the {len(ranks)} strategies (1 = most robust) on prosperity with security at least {SATISFICING} for
satisficing: dual hedge {rank_line('dual_hedge')}; switching to autonomy {rank_line('dual_hedge_to_autonomy')};
late {rank_line('dual_hedge_to_autonomy_late')}; switching to the anchor {rank_line('dual_hedge_to_anchor')};
the built-in `adaptive_dual_hedge` {rank_line('adaptive_dual_hedge')}; the threat-aware `vigilant_hedge`
{rank_line('vigilant_hedge')}.
Most robust under each measure: {", ".join(f"{m}: **{s}**" for m, s in robust['agreement']['best'].items())}.
Of the nine presets, each adaptive dual hedge ranks above (per measure): switching to autonomy
{beats_presets('dual_hedge_to_autonomy')}; late {beats_presets('dual_hedge_to_autonomy_late')}; switching to the anchor
{beats_presets('dual_hedge_to_anchor')}; the built-in `adaptive_dual_hedge` {beats_presets('adaptive_dual_hedge')}.
Switching late rather than promptly changes mean prosperity from
{prompt['mean']:.3f} to {late['mean']:.3f} % of GDP a year and the share of futures with security at least {SATISFICING} from
{share(prompt['satisficing'])} to {share(late['satisficing'])}.

Future by future, against staying put and against switching at once:

{block(paths_cmd[0], paths_out[0])}

(`hedgelab pathways adaptive --adaptive NAME --stay dual_hedge --at-once TO --threshold security={SATISFICING}` for the
others.)

- {verdict(paths_json[0])};
- {verdict(paths_json[1])};
- {verdict(paths_json[2])};
- {verdict(paths_json[3])} (the built-in, switching when assertiveness has stayed above its own threshold for
  four quarters).

(The tipping columns of `pathways` use security at least {SATISFICING} alone.)

**Is an adaptive dual hedge more robust than the nine presets?** {more_robust}

**Is switching late too late?** In short: {too_late}.

{block(late_cmd, late_out)}

What the focal state can stand on alone when the first
Taiwan-strait crisis comes (security without the US at the crisis, the depth the 2026 analysis
asks about; `hedgelab robust adaptive --metric security_without_us_at_crisis`), mean over futures:
staying with the dual hedge {wo('dual_hedge')}, switching promptly {wo('dual_hedge_to_autonomy')}, switching late
{wo('dual_hedge_to_autonomy_late')}, autonomy from the start {wo('autonomy')}. The deepest of the four directions
at that crisis (`--metric depth`: alignment with the patron or the challenger, partners, own
capability) in the same order: {dp('dual_hedge')}, {dp('dual_hedge_to_autonomy')}, {dp('dual_hedge_to_autonomy_late')},
{dp('autonomy')}.

Tipping under the same criteria (share of futures in which it never tips): dual hedge
{share(tip_adaptive['dual_hedge']['share_never'])}, switching to autonomy {share(tip_adaptive['dual_hedge_to_autonomy']['share_never'])},
late {share(tip_adaptive['dual_hedge_to_autonomy_late']['share_never'])}, switching to the anchor
{share(tip_adaptive['dual_hedge_to_anchor']['share_never'])}, the built-in adaptive dual hedge
{share(tip_adaptive['adaptive_dual_hedge']['share_never'])} (`hedgelab tipping adaptive --strategy NAME {CRITERIA}`).

## The trilemma front

Deterrence, Taiwan-contingency preparedness and security without the US, over the policy
family's {len(settings['levers'])} levers (NSGA-II, pymoo), each objective an ensemble mean on the same shocks for
every candidate:

{block(front_cmd, front_out)}

A pilot run chose {settings['n_paths']:,} paths per evaluation aiming for every standard error under
{PRECISION:.0%} of its objective's range; the largest achieved is {100 * max(settings['se_over_range'].values()):.2f}% of the
range ({"target met" if settings['precision_met'] else "target **not** met: " + str(front['warning'])}). On a fresh seed
{share(recheck['share_still_non_dominated'])} of the front's points are still non-dominated
({len(recheck['joined_from_behind'])} points from just behind it joined) and no objective moved by more than
{recheck['max_shift_over_se']:.1f} standard errors of a difference. Named strategies on the front: {", ".join(f"`{n}`" for n in on_front) or "none"}.
The preset closest to the front is `{closest}` (IGD+ distance {named[closest]['distance']:.3f} of the front's range);
the dual hedge is {named['dual_hedge']['distance']:.3f} away, the anchor {named['anchor']['distance']:.3f}, autonomy
{named['autonomy']['distance']:.3f}. The distance is how much a strategy would have to gain, in units of the front's
range in each objective, to reach the front.

Along the front, correlation of deterrence with Taiwan preparedness {corr[0, 1]:+.2f} ({together(corr[0, 1])}),
with security without the US {corr[0, 2]:+.2f} ({together(corr[0, 2])}); of preparedness with security without the
US {corr[1, 2]:+.2f} ({together(corr[1, 2])}). The front point that dominates the dual hedge
(`{rival['point']}`) differs from it most in: {moved}.

![the trilemma front](adaptive/front.png)

## Notes and limits

- Tipping reads *across-path means* per future: a future tips when the ensemble's expected
  objective fails. Signposts watch single paths (the first {posts['n_paths']} of each future), as a
  government and an adaptive strategy of the policy family do. The across-path mean of an
  observable is not a signpost: under common random numbers it is a fixed function of the
  future's sampled parameters, so scoring it measures how well sorting futures by a parameter
  predicts tipping.
- A path's level still carries its future's sampled parameters (a future with a higher
  `assertiveness_mean` has more assertive paths from the start): a signpost firing early on a
  path is partly reading the future it is in. `at_once` flags the extreme case; the median firing
  quarter of the hits says how early the rest fire.
- Environment observables that no sampled uncertainty moves (US reliability when its regime
  parameters are not sampled) follow the shocks alone, and path p sees the same shocks in every
  future (common random numbers): they cannot tell a future that tips from one that does not.
- The signpost scores count paths, but paths of one future share its parameters: the effective
  sample is nearer the number of futures ({posts['n_held_out']} held out) than of paths.
- The front's search covers every float lever of the schema ({", ".join(settings['levers'][:3])} …); per-partner shifts and
  a switch's signal and target are not searched. `--levers` restricts it; `--paths`,
  `--population`, `--generations` trade time for precision. The front weighs only the three
  security objectives: its points can be dear in prosperity and risk (`--format csv` gives their
  levers; put one in a scenario file and run `hedgelab compare` on it).
- Tests: `tests/analysis/explore/test_tipping.py`, `test_signposts.py` (a planted per-path signpost is
  found with its lead time; a signpost reading only the sampled future is flagged; the held-out
  futures play no part in the fit), `test_front.py` (the front's points are mutually non-dominated; every named
  strategy is on it or dominated), `test_pathways.py`, `tests/cli/test_adaptive_cli.py`.
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        text = render(Path(tmp))
    text = "\n".join(line.replace(tmp, "DIR") for line in text.splitlines()) + "\n"
    if "--check" in sys.argv:
        def timeless(s: str) -> str:
            return re.sub(r"in \d+\.\d s", "in _ s", s)

        sys.exit(0 if TARGET.exists() and timeless(TARGET.read_text()) == timeless(text) else 1)
    TARGET.write_text(text)
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
