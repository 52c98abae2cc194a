"""The shared plotting module draws what it is given and writes only PNG or SVG."""

import numpy as np
import pandas as pd
import pytest

from hedgelab.analysis.explore.discovery import prim_boxes
from hedgelab.errors import HedgelabError
from hedgelab.report import plots


def test_sobol_bars_draw_the_top_parameters_by_total_index(tmp_path):
    indices = pd.DataFrame({"output": "y", "parameter": ["a", "b", "c"], "S1": [0.1, 0.5, 0.0],
                            "S1_conf": 0.05, "ST": [0.2, 0.6, 0.01], "ST_conf": 0.05})
    fig = plots.sobol_bars(indices, "y", top=2)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["b", "a"]
    plots.save(fig, tmp_path / "s.svg")
    assert (tmp_path / "s.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(HedgelabError, match="ending in .png or .svg"):
        plots.save(fig, tmp_path / "s.jpg")


def test_prim_plot_marks_the_chosen_box(tmp_path):
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.random((400, 3)), columns=["a", "b", "c"])
    boxes = prim_boxes(x, (x.a > 0.5).to_numpy(), density_target=0.9, peel_alpha=0.05, mass_min=0.05)
    fig = plots.prim_plot(boxes)
    chosen = fig.axes[0].collections[1].get_offsets()[0]
    assert tuple(chosen) == pytest.approx((boxes.coverage, boxes.density))
    plots.save(fig, tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 1000
