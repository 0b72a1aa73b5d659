"""Stage 4, the reports: notebooks × scenarios executed with papermill, exported to HTML and PDF.

Bottom up: :mod:`~oilimpact.report.notebook` (reading a notebook file: cells, parameters cell, title),
:mod:`~oilimpact.report.plan` (which reports, with which checked parameters),
:mod:`~oilimpact.report.manifest` (content hashes and ``reports/manifest.json``),
:mod:`~oilimpact.report.outcome` (how each report went, the summary table),
:mod:`~oilimpact.report.export` (self-contained HTML and Typst PDF of one executed notebook),
:mod:`~oilimpact.report.gridplan` (grid axes, point ids and folders),
:mod:`~oilimpact.report.gridpage` (a page per grid, its CSV and JSON),
:mod:`~oilimpact.report.index` (``reports/index.html``), :mod:`~oilimpact.report.kernel` (warm
kernels), :mod:`~oilimpact.report.execute` (one report), :mod:`~oilimpact.report.pool` (the executor
interface and the local pool), :mod:`~oilimpact.report.cluster` (the same on Dask) and
:mod:`~oilimpact.report.batch` (the run).

Nothing is imported here: ``oilimpact render`` imports only the light modules it needs, so a run with
nothing to do stays under a second.
"""
