"""The sources of the parameter tables, one module per source (used by scripts/build_params.py).

Build-time only: the app reads the generated CSVs (store/params/data/), never these modules.
"""
