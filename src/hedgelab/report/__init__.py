"""Faces shared by the CLI, the dashboard and the HTML report: plots (:mod:`hedgelab.report.plots`)."""
