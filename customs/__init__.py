"""The outside world as the app meets it: the gateway client, the e-port card, the wire schemas.

Never imports Textual (tests/test_import_hygiene.py enforces it).
"""
