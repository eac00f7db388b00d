"""The headless core: tables, engine, migrations, status machine, record rules, parameters, queries.

Never imports Textual (tests/test_import_hygiene.py enforces it).
"""
