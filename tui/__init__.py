"""The application: settings, XDG locations, the command line, and (with the entry form) the App.

Importing this package must stay cheap and headless: `tui.settings` is used by the worker and the
command line without Textual.
"""
