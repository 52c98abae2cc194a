"""The fused quarterly step: one path at a time, every strategy, every quarter, in scalars.

:func:`path_step` is plain Python over scalars and small arrays (the ``math`` module, no
allocation, no NumPy calls; its helpers are ``register_jitable``), so the same source compiles
for the CPU (:func:`run_paths`, numba ``njit``) and as a CUDA device function
(:mod:`hedgelab.model.fast.gpu`). It transcribes the NumPy core, which stays the specification:
the order and every equation follow :func:`hedgelab.model.step.step` (with
:func:`~hedgelab.model.step.switching` and :func:`~hedgelab.model.step.trigger_multiplier`),
:func:`hedgelab.model.policy.policy_targets`, :func:`hedgelab.model.mechanisms.evaluate` and the
closed forms of :mod:`hedgelab.games.responses`. Changes of form, for speed, none of which
changes an equation:

- an event's condition ``u < 1 - exp(-hazard dt)`` is solved once per path and quarter for the
  part of the hazard that depends on the strategy (the same inequality, so only a draw within
  rounding of its hazard can fall the other way);
- the alignment is flat over cells (partner ``k``, domain ``d`` at ``k * N_DOMAINS + d``), and
  where each push of the policy targets applies is a 0/1 row per cell computed once per path, so
  the quarter's move over every cell is one branch-free loop that the compiler vectorises;
- each strategy's quarter fills its row of a variable vector, summed over quarters for every
  strategy at once;
- ``fastmath`` reassociation and fused multiply-adds (:data:`OPTIONS`);
- ``exp(x) - 1`` instead of ``expm1(x)`` in the coercion threshold where ``x >= 0.5``
  (:func:`threshold`), and ``log(1 + x)`` instead of ``log1p(x)`` in the bluffing coercer's
  quadrature where ``x >= 0.5`` (:func:`semi_terms`).

``tests/model/fast`` compares kernel and core on random states and parameter samples on every
test run. The environment is not re-implemented: the core's own
``step_environment`` advances it (:mod:`hedgelab.model.fast.pack`).

Computation is in float64 whatever the run's dtype (the core computes in the run's dtype; the
two agree to rounding). Per quarter the kernel fills a vector of every per-quarter variable
(:data:`VARIABLES`: :data:`hedgelab.model.recorders.VARIABLES`, the depth in each direction and
the observables of :mod:`hedgelab.model.series`) and reduces it as the plan says
(:mod:`hedgelab.model.fast.plan`): sums over quarters, first event times, a stored trajectory,
values at the first crisis, the final posture.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.extending import register_jitable

from hedgelab.games.coercion import _PHI, _QUAD_WEIGHTS

# Constants of the core, copied because numba's cache is keyed on this file alone: a compiled
# kernel would not notice a change in another module. tests/model/fast checks each against the
# core's value, so a change there fails the tests until it is made here too.
SECURITY, ECONOMY, TECHNOLOGY, ENERGY = 0, 1, 2, 3  # hedgelab.model.state.DOMAINS order
N_DOMAINS = 4  # len(hedgelab.model.state.DOMAINS): a constant, so the loops over domains unroll
QUARTER = 0.25  # hedgelab.model.state.QUARTER
PERCENT = 100.0  # hedgelab.model.step.PERCENT
HALF_VARIANCE = 0.5  # hedgelab.model.step.HALF_VARIANCE
ENTRAPMENT_FLOOR = 1e-6  # hedgelab.games.dilemma._ENTRAPMENT_FLOOR

VARIABLES: tuple[str, ...] = (
    # mechanisms (hedgelab.model.mechanisms.Mechanisms)
    "us_protection", "partner_protection", "own_protection", "challenger_threat", "threat", "provocation",
    "leverage", "effective_exposure", "perceived_options", "patron_option", "autonomy", "security",
    "deterrence", "taiwan_preparedness", "security_without_us", "trade_gain", "energy_security",
    # prosperity parts (hedgelab.model.step.PROSPERITY_PARTS) and their sum
    "prosperity_trade", "prosperity_energy", "prosperity_defence", "prosperity_adjustment",
    "prosperity_coercion", "prosperity_entrapment", "prosperity",
    # posture
    "patron_security_alignment", "challenger_economic_alignment", "patron_exposure", "challenger_exposure",
    "defence_spending", "capability", "support", "commitment_loss", "switched",
    # events (hedgelab.model.step.EVENTS) and the crisis
    "coercion", "abandonment", "entrapment", "deal", "crisis",
    # environment
    "us_reliability", "assertiveness", "china_weakness", "convergence", "taiwan_tension", "north_korea_threat",
    # depth by direction (hedgelab.model.mechanisms.depth_by_direction)
    "depth_patron", "depth_challenger", "depth_partners", "depth_own",
    # observables of hedgelab.model.series.OBSERVABLES
    "unreliability", "us_not_committed",
)
"""Every per-quarter quantity the kernel computes, in the order of its variable vector."""

(
    V_US_PROTECTION, V_PARTNER_PROTECTION, V_OWN_PROTECTION, V_CHALLENGER_THREAT, V_THREAT, V_PROVOCATION,
    V_LEVERAGE, V_EFFECTIVE_EXPOSURE, V_PERCEIVED, V_PATRON_OPTION, V_AUTONOMY, V_SECURITY,
    V_DETERRENCE, V_TAIWAN, V_WITHOUT_US, V_TRADE_GAIN, V_ENERGY_SECURITY,
    V_P_TRADE, V_P_ENERGY, V_P_DEFENCE, V_P_ADJUSTMENT, V_P_COERCION, V_P_ENTRAPMENT, V_PROSPERITY,
    V_PATRON_SEC, V_CHALLENGER_ECON, V_PATRON_EXPOSURE, V_CHALLENGER_EXPOSURE,
    V_SPENDING, V_CAPABILITY, V_SUPPORT, V_COMMITMENT_LOSS, V_SWITCHED,
    V_COERCION, V_ABANDONMENT, V_ENTRAPMENT, V_DEAL, V_CRISIS,
    V_RELIABILITY, V_ASSERTIVENESS, V_WEAKNESS, V_CONVERGENCE, V_TENSION, V_NORTH_KOREA,
    V_DEPTH_PATRON, V_DEPTH_CHALLENGER, V_DEPTH_PARTNERS, V_DEPTH_OWN,
    V_UNRELIABILITY, V_US_NOT_COMMITTED,
) = range(len(VARIABLES))
N_VARIABLES = len(VARIABLES)
DEPTH_AND_WITHOUT_US = (V_DEPTH_PATRON, V_DEPTH_CHALLENGER, V_DEPTH_PARTNERS, V_DEPTH_OWN, V_WITHOUT_US)
"""What :class:`~hedgelab.model.recorders.DepthAtFirstCrisis` keeps, in its order."""

# scalar state of a strategy on the path being computed (st_x columns)
X_SPENDING, X_CAPABILITY, X_SUPPORT, X_COMMITMENT_LOSS, X_MEMORY, X_SIGNAL_RUN, X_SWITCHED = range(7)
N_SCALAR_STATE = 7
# per-partner scratch (tmp rows)
T_GRAVITY, T_IMPACT, T_DIRECT, T_ROUTED, T_CAPACITY, T_WEIGHT, T_INV_ECONOMY = range(7)
N_TMP = 7
# per-cell scratch of the path (cell rows; a cell is partner k and domain d at k * N_DOMAINS + d)
C_ALIGNMENT0, C_AGAINST = range(2)
N_CELL_ROWS = 2
# rows of the path-independent push inputs over cells (hedgelab.model.fast.pack.pack_targets)
P_PARTNERS, P_DERISK = range(2)
# the levers in force (shift and security-push rows): the strategy's own, or its fallback after a switch
OWN, AFTER = 0, 1


def scratch_shapes(slots, n_strategies, n_partners):
    """Shapes of the float64 scratch arrays of :func:`path_step` (``st_a``, ``st_e``, ``st_r``,
    ``st_x``, ``st_sum``, ``var``, ``tmp``, ``cell``), ``slots`` rows each."""
    cells = n_partners * N_DOMAINS
    return (
        (slots, n_strategies, cells), (slots, n_strategies, n_partners), (slots, n_strategies, n_partners),
        (slots, n_strategies, N_SCALAR_STATE), (slots, n_strategies, N_VARIABLES), (slots, n_strategies, N_VARIABLES),
        (slots, N_TMP, n_partners),
        (slots, N_CELL_ROWS, cells),
    )
# shock columns (the ``shock_index`` argument): the normal severity draw, then the uniform event draws
S_SEVERITY, S_COERCION, S_ABANDONMENT, S_ENTRAPMENT, S_DEAL = range(5)
PATRON, CHALLENGER, SECONDARY = 0, 1, 2  # role codes (hedgelab.model.fast.pack.ROLE_CODES)
QUAD_PHI = np.ascontiguousarray(_PHI, dtype=np.float64)
QUAD_WEIGHTS = np.ascontiguousarray(_QUAD_WEIGHTS, dtype=np.float64)


@register_jitable
def clip(x, lo, hi):
    """``min(max(x, lo), hi)`` (NumPy's clip for scalars)."""
    return min(max(x, lo), hi)


@register_jitable
def signal_level(index, assertiveness, convergence, tension, unreliability):
    """The observed level a switch watches (:data:`hedgelab.model.policy.SIGNALS` order)."""
    if index == 0:
        return assertiveness
    if index == 1:
        return convergence
    if index == 2:
        return tension
    return unreliability


@register_jitable
def cost_cdf(x, median, spread):
    """P(k <= x) for the log-logistic coercer cost (:func:`hedgelab.games.coercion._cost_cdf`)."""
    if spread > 0.0:
        if x <= 0.0:
            return 0.0
        if math.isinf(x):
            return 1.0
        # 0.5 (1 + tanh(z / 2)) with z = log(x / median) / spread, written as the logistic it is
        return 1.0 / (1.0 + (median / x) ** (1.0 / spread))
    return 1.0 if x >= median else 0.0


@register_jitable
def threshold(damage, gain, resolve):
    """``G (exp(x / resolve) - 1)`` (:func:`hedgelab.games.coercion.coercion_threshold`).

    ``expm1`` only where it is needed: from ``x / resolve = 0.5`` up, ``exp(.) - 1`` loses at
    most about three ulps to the cancellation and costs about half as much (this runs for every
    strategy, path and quarter)."""
    ratio = damage / resolve
    if ratio > 709.0:  # where NumPy's expm1 overflows to inf
        return math.inf if gain > 0.0 else (0.0 if gain == 0.0 else -math.inf)
    return gain * (math.expm1(ratio) if ratio < 0.5 else math.exp(ratio) - 1.0)


@register_jitable
def coercion_cost_threshold(share, coercer_cost, spread):
    """The threshold cost ``T`` above which the committed coercer's closed form
    ``1 / (1 + (k0 / T)^(1 / spread))`` exceeds ``share``: ``k0 (1 / share - 1)^(-spread)``
    (+inf when ``share >= 1``: never; 0 when ``share <= 0``: any positive ``T``)."""
    if share >= 1.0:
        return math.inf
    if share <= 0.0:
        return 0.0
    return coercer_cost * (1.0 / share - 1.0) ** (-spread)


@register_jitable
def semi_terms(k, damage, gain, rho, m, prem):
    """P(coerce) in the semi-separating equilibrium for a coercer cost ``k``
    (:func:`hedgelab.games.coercion._semi_terms`, first term).

    ``log1p`` only where it is needed, as in :func:`threshold`: from ``a / G = 0.5`` up,
    ``log(1 + a / G)`` is within a few ulps and cheaper (this runs 24 times per strategy, path and
    quarter with a bluffing coercer)."""
    a = max(k + prem, 0.0)
    x = a / gain
    posterior = clip(rho * (math.log1p(x) if x < 0.5 else math.log(1.0 + x)) / damage, max(m, 1e-300), 1.0)
    return m / posterior


@register_jitable
def p_coercion(leverage, provocation, assertiveness, q, phi, weights):
    """Probability of coercion (:func:`hedgelab.games.responses.coercion_probability`): the
    closed form for a committed coercer (prior 1), else the D1-selected PBE averaged over the
    cost with the same 24-node quadrature as :func:`hedgelab.games.coercion.coercion_outcome`."""
    damage = q.coercion_damage_scale * leverage
    gain = q.coercion_gain_scale * assertiveness * (q.coercion_baseline_demand + provocation)
    k0, spread, m = q.coercer_cost, q.coercion_cost_spread, q.coercion_committed_prior
    t1 = threshold(damage, gain, q.coercion_resolve)
    if m == 1.0 and spread > 0.0:
        if t1 <= 0.0:
            return 0.0
        if math.isinf(t1):
            return 1.0
        return 1.0 / (1.0 + math.exp(math.log(k0 / t1) / spread))
    prem = q.coercion_bluff_premium
    tm = threshold(m * damage, gain, q.coercion_resolve)
    f_t1 = cost_cdf(t1, k0, spread)
    f_sep = cost_cdf(t1 - prem, k0, spread)
    f_pool = cost_cdf(tm - prem, k0, spread)
    p = m * max(f_t1 - f_sep, 0.0) + f_pool
    if m < 1.0:
        width = max(f_sep - f_pool, 0.0)
        if spread > 0.0:
            if width > 0.0 and gain > 0.0 and damage > 0.0:
                total = 0.0
                for i in range(phi.shape[0]):
                    u = clip(f_pool + width * phi[i], 1e-300, 1.0 - 1e-16)
                    k = k0 * (u / (1.0 - u)) ** spread  # the cost at quantile u: exp(spread (log u - log(1 - u)))
                    term = semi_terms(k, damage, gain, q.coercion_resolve, m, prem)
                    if not math.isnan(term):
                        total += term * weights[i]
                p += width * total
        elif tm - prem < k0 < t1 - prem and gain > 0.0 and damage > 0.0:
            term = semi_terms(k0, damage, gain, q.coercion_resolve, m, prem)
            if not math.isnan(term):
                p += term
    return clip(p, 0.0, 1.0)


def path_step(
    p, slot, n_quarters, scalars, partners, alignment0, preference, roles, patron, challenger, regime0,
    base, environment, economic_weight, crisis, normal, uniform, shock_index, levers, target_shift,
    adaptive, after_levers, security_rows, push_cells,
    sum_index, first_index, trajectory_index, keep_depth, keep_final, phi, weights,
    sums, first, trajectory, depth, final_alignment, final_exposure,
    st_a, st_e, st_r, st_x, st_sum, var, tmp, cell,
):
    """Every strategy on path ``p`` over every quarter (see the module docstring). ``slot``
    selects this worker's rows of the scratch arrays (:func:`scratch_shapes`). The alignment
    ``st_a`` is flat over cells (partner ``k``, domain ``d`` at ``k * N_DOMAINS + d``), and so are
    the policy targets' inputs (:func:`hedgelab.model.fast.pack.pack_targets`): the shift
    ``target_shift[which, s, c]``, where the threat-driven security push applies
    ``security_rows[which, s, c]`` (``which`` = :data:`OWN` or :data:`AFTER` a switch) and where the
    partners' push and de-risking apply ``push_cells[P_PARTNERS | P_DERISK, c]`` (0 or 1 each), so
    the quarter's move over every cell is one branch-free loop the compiler vectorises."""
    n_strategies, n_partners = levers.shape[0], alignment0.shape[1]
    n_cells = n_partners * N_DOMAINS
    row = p if scalars.shape[0] > 1 else 0
    q = scalars[row]
    cap_patron = partners[row, 0, patron] * partners[row, 1, patron]  # expenditure ratio x reach
    secondary_total = 0.0
    for k in range(n_partners):
        capacity = partners[row, 0, k] * partners[row, 1, k]
        secondary = capacity if roles[k] == SECONDARY else 0.0
        w = secondary / cap_patron
        tmp[slot, T_CAPACITY, k] = secondary
        tmp[slot, T_WEIGHT, k] = w
        secondary_total += w
        base_econ = alignment0[row, k, ECONOMY]
        tmp[slot, T_INV_ECONOMY, k] = 1.0 / base_econ if base_econ > 0.0 else 0.0
    # divisions by per-path constants become multiplications by their inverses (hot loop)
    inv_prov_denominator = 1.0 / (1.0 + q.provocation_tech_weight + secondary_total)
    base_capability = q.defence_spending / q.capability_depreciation
    inv_base_capability = 1.0 / base_capability
    inv_full_capability = q.capability_depreciation / q.defence_ceiling
    inv_support = 1.0 / q.support
    inv_surplus = 1.0 / q.alliance_surplus
    partner_capacity = 0.0
    for k in range(n_partners):
        partner_capacity += tmp[slot, T_CAPACITY, k]
    inv_partner_capacity = 1.0 / partner_capacity if partner_capacity > 0.0 else 0.0  # depth 0 without partners
    # hazard x quarter per unit of (un-normalised) intensity
    dt_coercion = q.coercion_rate / base[p, 1] * QUARTER
    dt_abandonment = q.abandonment_rate / base[p, 2] * QUARTER
    dt_entrapment = q.entrapment_rate / base[p, 3] * QUARTER
    dt_deal = q.deal_rate / base[p, 4] * QUARTER
    headroom = max(q.defence_ceiling - q.defence_spending, 0.0)
    reliabilities = (q.reliability_committed, q.reliability_transactional, q.reliability_retrenching)
    base_reliability = reliabilities[regime0]
    commitment_decay = math.exp(-q.commitment_recovery * QUARTER)
    memory_decay = math.exp(-q.coercion_memory * QUARTER)
    base_provocation = base[p, 0]
    base_trade, base_energy = base[p, 5], base[p, 6]
    cap_exposure = q.exposure_cap
    recent_quarters = math.ceil(q.trigger_window / QUARTER)  # the core's whole-quarter trigger clock
    trigger_mean = 1.0 + (q.trigger_effect - 1.0) * -math.expm1(-q.trigger_rate * QUARTER * recent_quarters)

    # per cell of this path: the base year and the public's preference
    for k in range(n_partners):
        for d in range(N_DOMAINS):
            cell[slot, C_ALIGNMENT0, k * N_DOMAINS + d] = alignment0[row, k, d]
            cell[slot, C_AGAINST, k * N_DOMAINS + d] = -preference[row, k, d]

    # base-year posture for every strategy
    for s in range(n_strategies):
        for c in range(n_cells):
            st_a[slot, s, c] = cell[slot, C_ALIGNMENT0, c]
        for k in range(n_partners):
            st_e[slot, s, k] = partners[row, 2, k]
            st_r[slot, s, k] = partners[row, 3, k]
        st_x[slot, s, X_SPENDING] = q.defence_spending
        st_x[slot, s, X_CAPABILITY] = base_capability
        st_x[slot, s, X_SUPPORT] = q.support
        st_x[slot, s, X_COMMITMENT_LOSS] = 0.0
        st_x[slot, s, X_MEMORY] = 0.0
        st_x[slot, s, X_SIGNAL_RUN] = 0.0
        st_x[slot, s, X_SWITCHED] = 0.0
        for j in range(N_VARIABLES):
            st_sum[slot, s, j] = 0.0
    seen_crisis = False

    for t in range(n_quarters):
        env = environment[t, p]
        regime = int(env.regime)
        rel = reliabilities[regime]
        unreliability = 1.0 - rel
        x = env.assertiveness
        v = env.convergence
        capability_growth = env.challenger_capability
        reaction = q.threat_response * capability_growth + q.reliability_response * (base_reliability - rel)
        challenger_capacity = q.challenger_capacity * math.exp(capability_growth)
        tolerance = math.exp(-q.tolerance_sensitivity * max(x - 1.0, 0.0))
        option = clip(
            q.patron_option + q.patron_option_unreliability * (q.reliability_transactional - rel)
            - q.patron_option_threat * (x * math.exp(capability_growth) - 1.0), 0.0, 1.0)
        z = normal[t, shock_index[S_SEVERITY], p]
        dispersion = q.coercion_severity_dispersion
        severity = q.coercion_severity * math.exp(dispersion * z - HALF_VARIANCE * dispersion * dispersion)
        crisis_now = crisis[t, p]
        # an event happens when u < 1 - exp(-hazard dt), i.e. when hazard dt > -log(1 - u): the
        # right side is the quarter's draw as an exponential waiting time, shared by every strategy
        wait_coercion = -math.log1p(-uniform[t, shock_index[S_COERCION], p])
        wait_abandonment = -math.log1p(-uniform[t, shock_index[S_ABANDONMENT], p])
        wait_entrapment = -math.log1p(-uniform[t, shock_index[S_ENTRAPMENT], p])
        wait_deal = -math.log1p(-uniform[t, shock_index[S_DEAL], p])
        trigger = (q.trigger_effect if env.since_trigger < q.trigger_window else 1.0) / trigger_mean
        # each condition "hazard dt > wait" solved, once per path and quarter, for the part of the
        # hazard that depends on the strategy (the same inequalities; the exp, log and pow move out
        # of the strategy loop): abandonment and deal compare their exponents, entrapment the
        # patron commitment, coercion (committed coercer) the threshold cost T(D)
        exponent_abandonment = math.log(wait_abandonment / (dt_abandonment * (1.0 - rel + q.abandonment_reliability_floor)))
        exponent_deal = (math.log(wait_deal / (dt_deal * (q.deal_base_intensity + (1.0 if regime >= 1 else 0.0))))
                         - q.deal_weakness_slope * env.weakness)
        entrapment_need = wait_entrapment / dt_entrapment - ENTRAPMENT_FLOOR  # tension x c^gamma must exceed it
        if entrapment_need <= 0.0:
            commitment_entrapped = -1.0  # any commitment
        elif env.tension > 0.0 and q.entrapment_commitment_exponent > 0.0:
            commitment_entrapped = (entrapment_need / env.tension) ** (1.0 / q.entrapment_commitment_exponent)
        else:
            commitment_entrapped = math.inf if env.tension * 1.0 <= entrapment_need else -1.0
        coercion_share = wait_coercion / (dt_coercion * trigger)  # P(coercion) must exceed it
        threshold_coerced = coercion_cost_threshold(coercion_share, q.coercer_cost, q.coercion_cost_spread)
        for k in range(n_partners):
            tmp[slot, T_GRAVITY, k] = math.exp(q.gravity_elasticity * economic_weight[t, p, k])
            tmp[slot, T_IMPACT, k] = q.gravity_impact * partners[row, 6, k] * QUARTER

        for s in range(n_strategies):
            # switching (hedgelab.model.step.switching): the levers in force this quarter
            own = levers[s]
            switched_before = st_x[slot, s, X_SWITCHED] > 0.0
            switched_now = switched_before
            if adaptive:
                signal = signal_level(int(own.switch_signal), x, v, env.tension, unreliability)
                run = st_x[slot, s, X_SIGNAL_RUN] + 1.0 if signal > own.switch_threshold else 0.0
                st_x[slot, s, X_SIGNAL_RUN] = run
                switched_now = switched_before or run >= own.switch_quarters
                st_x[slot, s, X_SWITCHED] = 1.0 if switched_now else 0.0
            lv = after_levers[s] if switched_now else own
            which = AFTER if switched_now else OWN
            switch_cost = own.switch_cost if switched_now and not switched_before else 0.0
            spending_old = st_x[slot, s, X_SPENDING]
            capability_old = st_x[slot, s, X_CAPABILITY]
            support_old = st_x[slot, s, X_SUPPORT]
            memory_old = st_x[slot, s, X_MEMORY]

            # policy targets (hedgelab.model.policy.policy_targets)
            threat_signal = (lv.threat_assertiveness * (x - q.assertiveness)
                             + lv.threat_convergence * (v - q.convergence)
                             + lv.threat_tension * (env.tension - q.taiwan_tension))
            partner_push = lv.partners_on_unreliability * unreliability
            security_push = lv.security_on_threat * threat_signal
            derisk = lv.derisk_on_coercion * memory_old + lv.derisk_on_threat * threat_signal
            spending_target = (q.defence_spending + lv.defence_shift + lv.defence_on_unreliability * unreliability
                               + lv.defence_on_threat * threat_signal)
            spending_target += reaction
            ceiling = q.defence_spending + headroom * clip(support_old * inv_support, 0.0, 1.0)
            spending_target = min(spending_target, ceiling)

            # move toward the targets (hedgelab.model.step.step), each cell's target computed in place
            max_align = q.alignment_adjust_speed * lv.speed * QUARTER
            adjustment = 0.0
            against = 0.0
            for c in range(n_cells):
                value = (cell[slot, C_ALIGNMENT0, c] + target_shift[which, s, c]
                         + partner_push * push_cells[P_PARTNERS, c]
                         + security_push * security_rows[which, s, c] - derisk * push_cells[P_DERISK, c])
                old = st_a[slot, s, c]
                new = old + clip(clip(value, 0.0, 1.0) - old, -max_align, max_align)
                st_a[slot, s, c] = new
                adjustment += (new - old) * (new - old)
                against += max(cell[slot, C_AGAINST, c] * (new - cell[slot, C_ALIGNMENT0, c]), 0.0)
            max_spend = q.defence_adjust_speed * lv.speed * QUARTER
            spending = spending_old + clip(spending_target - spending_old, -max_spend, max_spend)
            capability = capability_old + QUARTER * (spending - q.capability_depreciation * capability_old)

            total = 0.0
            for k in range(n_partners):
                inv_econ = tmp[slot, T_INV_ECONOMY, k]
                ratio = st_a[slot, s, k * N_DOMAINS + ECONOMY] * inv_econ if inv_econ > 0.0 else 1.0
                direct_target = partners[row, 2, k] * ratio * tmp[slot, T_GRAVITY, k]
                routed_target = partners[row, 3, k] * ratio
                tmp[slot, T_DIRECT, k] = direct_target
                tmp[slot, T_ROUTED, k] = routed_target
                total += direct_target + routed_target
            scale = min(1.0, cap_exposure / total) if total > 0.0 else 1.0
            routed_sum = 0.0
            exposure_sum = 0.0
            for k in range(n_partners):
                e_old = st_e[slot, s, k]
                e_new = (e_old + q.exposure_adjust_speed * QUARTER * (tmp[slot, T_DIRECT, k] * scale - e_old)
                         + tmp[slot, T_IMPACT, k] * e_old)
                r_old = st_r[slot, s, k]
                r_new = r_old + q.routed_adjust_speed * QUARTER * (tmp[slot, T_ROUTED, k] * scale - r_old)
                st_e[slot, s, k] = e_new
                st_r[slot, s, k] = r_new
                routed_sum += r_new
                exposure_sum += e_new
            room = max(cap_exposure - routed_sum, 0.0)
            fit = min(1.0, room / exposure_sum) if exposure_sum > 0.0 else 1.0
            for k in range(n_partners):
                st_e[slot, s, k] = st_e[slot, s, k] * fit

            support = support_old + QUARTER * (
                q.support_recovery * (q.support - support_old)
                - q.support_cost * max(spending - q.defence_spending, 0.0)
                - q.legitimacy_cost * against
            )
            commitment_loss = st_x[slot, s, X_COMMITMENT_LOSS] * commitment_decay
            memory = memory_old * memory_decay

            # mechanisms (hedgelab.model.mechanisms.evaluate)
            a_patron_sec = st_a[slot, s, patron * N_DOMAINS + SECURITY]
            us_protection = cap_patron * rel * a_patron_sec * (1.0 - commitment_loss)
            partner_protection = 0.0
            partner_weighted = 0.0
            economic_options = 0.0
            gains = 0.0
            exposure_total = 0.0
            energy_security = 0.0
            for k in range(n_partners):
                a_sec = st_a[slot, s, k * N_DOMAINS + SECURITY]
                secondary_capacity = tmp[slot, T_CAPACITY, k]
                partner_protection += a_sec * secondary_capacity
                partner_weighted += a_sec * tmp[slot, T_WEIGHT, k]
                both = st_e[slot, s, k] + st_r[slot, s, k]
                if k != patron:
                    economic_options += both * st_a[slot, s, k * N_DOMAINS + ECONOMY]
                gains += partners[row, 4, k] * both
                exposure_total += both
                energy_security += partners[row, 5, k] * st_a[slot, s, k * N_DOMAINS + ENERGY]
            own_protection = q.own_capacity * capability * inv_base_capability
            independent_own = own_protection * (1.0 - q.us_supply_dependence * a_patron_sec)
            provocation = (
                a_patron_sec + q.provocation_tech_weight * v * st_a[slot, s, patron * N_DOMAINS + TECHNOLOGY] + partner_weighted
            ) * inv_prov_denominator
            provocation_factor = max(1.0 + q.provocation_effect * (provocation - base_provocation), 0.0)
            accommodation = st_a[slot, s, challenger * N_DOMAINS + SECURITY] - alignment0[row, challenger, SECURITY]
            accommodation_factor = max(1.0 - q.accommodation_effect * accommodation, 0.0)
            challenger_threat = challenger_capacity * x * provocation_factor * accommodation_factor
            threat = challenger_threat + q.north_korea_capacity * env.north_korea
            protection = us_protection + partner_protection + own_protection
            integrated = cap_patron * a_patron_sec * (1.0 - commitment_loss) + partner_protection + own_protection
            tension_threat = challenger_capacity * env.tension
            without_us = independent_own + partner_protection
            effective = st_e[slot, s, challenger] + st_r[slot, s, challenger]
            shield = lv.compartmentalisation * (1.0 - v) * tolerance
            leverage = ((st_e[slot, s, challenger] + q.routed_reach * st_r[slot, s, challenger]) * (1.0 - shield)
                        + q.tech_leverage * v * st_a[slot, s, challenger * N_DOMAINS + TECHNOLOGY])
            real_options = independent_own + partner_protection + q.economic_option_weight * economic_options
            perceived = real_options * (1.0 + q.signal_gain * lv.signal)
            surplus = q.alliance_surplus
            autonomy = clip(perceived + q.focal_bargaining_power * (surplus - perceived - option), 0.0, surplus) * inv_surplus
            trade_gain = gains + q.rest_of_world_gain * (1.0 - exposure_total)

            # events (hedgelab.model.step.event_intensities and the draws, in the form solved above)
            if q.coercion_committed_prior == 1.0 and q.coercion_cost_spread > 0.0:
                gain = q.coercion_gain_scale * x * (q.coercion_baseline_demand + provocation)
                coerced = threshold(q.coercion_damage_scale * leverage, gain, q.coercion_resolve) > threshold_coerced
            else:
                coerced = dt_coercion * trigger * p_coercion(leverage, provocation, x, q, phi, weights) > wait_coercion
            abandoned = (-q.abandonment_commitment_slope * a_patron_sec + q.abandonment_alternatives_slope * perceived
                         + q.abandonment_burden_slope * (q.burden_expectation - spending)) > exponent_abandonment
            entrapped = a_patron_sec > commitment_entrapped
            dealt = -q.deal_weight_slope * autonomy > exponent_deal

            coercion_loss = severity * q.openness * PERCENT * leverage if coerced else 0.0
            entrapment_loss = q.entrapment_cost if entrapped else 0.0
            episode_depth = max(q.abandonment_depth if abandoned else 0.0, q.deal_depth if dealt else 0.0)
            commitment_loss = max(commitment_loss, episode_depth)
            if coerced:
                memory = 1.0
            support = clip(support - (q.entrapment_support_loss if entrapped else 0.0), 0.0, 1.0)

            st_x[slot, s, X_SPENDING] = spending
            st_x[slot, s, X_CAPABILITY] = capability
            st_x[slot, s, X_SUPPORT] = support
            st_x[slot, s, X_COMMITMENT_LOSS] = commitment_loss
            st_x[slot, s, X_MEMORY] = memory

            # the variable vector
            var[slot, s, V_US_PROTECTION] = us_protection
            var[slot, s, V_PARTNER_PROTECTION] = partner_protection
            var[slot, s, V_OWN_PROTECTION] = own_protection
            var[slot, s, V_CHALLENGER_THREAT] = challenger_threat
            var[slot, s, V_THREAT] = threat
            var[slot, s, V_PROVOCATION] = provocation
            var[slot, s, V_LEVERAGE] = leverage
            var[slot, s, V_EFFECTIVE_EXPOSURE] = effective
            var[slot, s, V_PERCEIVED] = perceived
            var[slot, s, V_PATRON_OPTION] = option
            var[slot, s, V_AUTONOMY] = autonomy
            var[slot, s, V_SECURITY] = protection / (protection + threat)
            var[slot, s, V_DETERRENCE] = protection / (protection + challenger_threat)
            var[slot, s, V_TAIWAN] = integrated / (integrated + tension_threat)
            var[slot, s, V_WITHOUT_US] = without_us / (without_us + threat)
            var[slot, s, V_TRADE_GAIN] = trade_gain
            var[slot, s, V_ENERGY_SECURITY] = energy_security
            var[slot, s, V_P_TRADE] = q.openness * PERCENT * (trade_gain - base_trade)
            var[slot, s, V_P_ENERGY] = q.energy_gain * (energy_security - base_energy)
            var[slot, s, V_P_DEFENCE] = -q.defence_cost * (spending - q.defence_spending)
            var[slot, s, V_P_ADJUSTMENT] = -q.adjustment_cost * adjustment / (QUARTER * QUARTER) - switch_cost / QUARTER
            var[slot, s, V_P_COERCION] = -coercion_loss / QUARTER
            var[slot, s, V_P_ENTRAPMENT] = -entrapment_loss / QUARTER
            var[slot, s, V_PROSPERITY] = (
                var[slot, s, V_P_TRADE] + var[slot, s, V_P_ENERGY] + var[slot, s, V_P_DEFENCE]
                + var[slot, s, V_P_ADJUSTMENT] + var[slot, s, V_P_COERCION] + var[slot, s, V_P_ENTRAPMENT])
            var[slot, s, V_PATRON_SEC] = a_patron_sec
            var[slot, s, V_CHALLENGER_ECON] = st_a[slot, s, challenger * N_DOMAINS + ECONOMY]
            var[slot, s, V_PATRON_EXPOSURE] = st_e[slot, s, patron]
            var[slot, s, V_CHALLENGER_EXPOSURE] = st_e[slot, s, challenger]
            var[slot, s, V_SPENDING] = spending
            var[slot, s, V_CAPABILITY] = capability
            var[slot, s, V_SUPPORT] = support
            var[slot, s, V_COMMITMENT_LOSS] = commitment_loss
            var[slot, s, V_SWITCHED] = 1.0 if switched_now else 0.0
            var[slot, s, V_COERCION] = 1.0 if coerced else 0.0
            var[slot, s, V_ABANDONMENT] = 1.0 if abandoned else 0.0
            var[slot, s, V_ENTRAPMENT] = 1.0 if entrapped else 0.0
            var[slot, s, V_DEAL] = 1.0 if dealt else 0.0
            var[slot, s, V_CRISIS] = 1.0 if crisis_now else 0.0
            var[slot, s, V_RELIABILITY] = rel
            var[slot, s, V_ASSERTIVENESS] = x
            var[slot, s, V_WEAKNESS] = env.weakness
            var[slot, s, V_CONVERGENCE] = v
            var[slot, s, V_TENSION] = env.tension
            var[slot, s, V_NORTH_KOREA] = env.north_korea
            var[slot, s, V_DEPTH_PATRON] = a_patron_sec
            var[slot, s, V_DEPTH_CHALLENGER] = st_a[slot, s, challenger * N_DOMAINS + ECONOMY]
            var[slot, s, V_DEPTH_PARTNERS] = partner_protection * inv_partner_capacity
            var[slot, s, V_DEPTH_OWN] = min(capability * inv_full_capability, 1.0)
            var[slot, s, V_UNRELIABILITY] = unreliability
            var[slot, s, V_US_NOT_COMMITTED] = 1.0 if regime != 0 else 0.0


        # reductions (hedgelab.model.fast.plan), every strategy's variables at once
        for s in range(n_strategies):
            for j in range(N_VARIABLES):  # one contiguous, vectorised loop
                st_sum[slot, s, j] += var[slot, s, j]
            for j in range(first_index.shape[0]):
                if var[slot, s, first_index[j]] > 0.0 and math.isnan(first[s, p, j]):
                    first[s, p, j] = (t + 1) * QUARTER
            for j in range(trajectory_index.shape[0]):
                trajectory[s, p, t, j] = var[slot, s, trajectory_index[j]]
            if keep_depth and not seen_crisis:
                for j in range(len(DEPTH_AND_WITHOUT_US)):
                    depth[s, p, j] = var[slot, s, DEPTH_AND_WITHOUT_US[j]]
        if crisis_now:
            seen_crisis = True

    for s in range(n_strategies):
        for j in range(sum_index.shape[0]):
            sums[s, p, j] = st_sum[slot, s, sum_index[j]]
    if keep_final:
        for s in range(n_strategies):
            for k in range(n_partners):
                for d in range(N_DOMAINS):
                    final_alignment[s, p, k, d] = st_a[slot, s, k * N_DOMAINS + d]
                final_exposure[s, p, k] = st_e[slot, s, k] + st_r[slot, s, k]


OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy", "fastmath": {"reassoc", "nsz", "contract"}}
"""numba options of the CPU kernel: ``nogil`` releases the GIL for a whole chunk, so the engine's
thread pool (:mod:`hedgelab.analysis.executors`) runs chunks on every core; ``cache`` keeps the
compiled code in ``__pycache__`` beside this file (the first run compiles for a few seconds);
``error_model="numpy"`` makes a division by zero give inf or NaN, as in the core; ``fastmath``
allows only reassociation (so the sums over cells and variables vectorise), fused multiply-adds
and ignoring the sign of zero, never assuming away inf or NaN (the coercion closed form and
the events rely on them). These change results by rounding only, and the same way for every
path on one kind of processor, so the kernel stays bit-identical across workers and chunks there;
processors with other vector widths may round differently (docs/performance.md, which also gives
the speed with and without them: ``benchmarks/bench_kernel.py``)."""

path_step_cpu = njit(**OPTIONS)(path_step)


@njit(**OPTIONS)
def run_paths(
    n_paths, n_quarters, scalars, partners, alignment0, preference, roles, patron, challenger, regime0,
    base, environment, economic_weight, crisis, normal, uniform, shock_index, levers, target_shift,
    adaptive, after_levers, security_rows, push_cells,
    sum_index, first_index, trajectory_index, keep_depth, keep_final, phi, weights,
    sums, first, trajectory, depth, final_alignment, final_exposure,
    st_a, st_e, st_r, st_x, st_sum, var, tmp, cell,
):
    """:func:`path_step` for paths ``0 … n_paths - 1`` in turn on the CPU, one slot of scratch
    (it lives in this file so that the cache of both is keyed on the same source)."""
    for p in range(n_paths):
        path_step_cpu(
            p, 0, n_quarters, scalars, partners, alignment0, preference, roles, patron, challenger, regime0,
            base, environment, economic_weight, crisis, normal, uniform, shock_index, levers, target_shift,
            adaptive, after_levers, security_rows, push_cells,
            sum_index, first_index, trajectory_index, keep_depth, keep_final, phi, weights,
            sums, first, trajectory, depth, final_alignment, final_exposure,
            st_a, st_e, st_r, st_x, st_sum, var, tmp, cell,
        )
