"""`python -m tui`: the same as the `tuihuo` command (a checkout without the script installed)."""

from __future__ import annotations

import sys

from tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
