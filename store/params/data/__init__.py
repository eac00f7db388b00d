"""The parameter CSV files (package data; a package so setuptools ships the *.csv beside it)."""
