"""The policy targets' rows the kernel receives (:func:`hedgelab.model.fast.pack.pack_targets`),
checked cell by cell against the roles as the scenario names them: where each push of the policy
targets applies (docs/model.md, "Policy family") and the shifts, flat over cells."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba")

from hedgelab.analysis.prepare import prepare  # noqa: E402
from hedgelab.model.fast.kernel import P_DERISK, P_PARTNERS  # noqa: E402
from hedgelab.model.fast.pack import pack_targets  # noqa: E402
from hedgelab.model.state import DOMAINS  # noqa: E402


@pytest.mark.parametrize("scenario", ["japan-2026", "australia-2020"])
def test_every_push_applies_exactly_where_the_roles_say(scenario):
    params = prepare(scenario, None).params
    n_partners, n_domains = len(params.partner_codes), len(DOMAINS)
    rng = np.random.default_rng(7)
    shift, after = (rng.choice([-0.2, 0.0, 0.3], size=(3, n_partners, n_domains)) for _ in range(2))
    shifts, security, cells = pack_targets(params, shift, after)

    np.testing.assert_array_equal(shifts.reshape(2, 3, n_partners, n_domains), np.stack([shift, after]))
    security = security.reshape(2, 3, n_partners, n_domains)
    cells = cells.reshape(2, n_partners, n_domains)
    for k, role in enumerate(params.roles):
        for d, domain in enumerate(DOMAINS):
            partners_push = role == "secondary" and domain == "security"
            derisk = role == "challenger" and domain in ("economy", "technology")
            assert cells[P_PARTNERS, k, d] == float(partners_push), (params.partner_codes[k], domain)
            assert cells[P_DERISK, k, d] == float(derisk), (params.partner_codes[k], domain)
            for which, own_shift in enumerate((shift, after)):
                for s in range(3):
                    toward = domain == "security" and role != "challenger" and (
                        role == "patron" or own_shift[s, k, d] > 0)
                    assert security[which, s, k, d] == float(toward), (which, s, params.partner_codes[k], domain)
