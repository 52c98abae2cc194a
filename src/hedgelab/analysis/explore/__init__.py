"""Exploratory modelling under deep uncertainty: designs over the uncertain parameters, sweeps of
every strategy over them, robustness, Sobol sensitivity and scenario discovery (docs/explore.md)."""
