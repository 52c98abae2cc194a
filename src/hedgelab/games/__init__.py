"""Closed-form and small-equilibrium sub-models of alliance politics.

The simulation uses only the vectorised ``response`` functions in
:mod:`hedgelab.games.responses`; the standalone models behind them can be explored on their own.
"""
