"""The local web dashboard (``hedgelab serve``, docs/dashboard.md): a thin FastAPI face over
:mod:`hedgelab.api` and :mod:`hedgelab.report`, one state per browser session."""
