"""`python -m tui.cli …`: the same as `tuihuo …`."""

from tui.cli import main

raise SystemExit(main())
