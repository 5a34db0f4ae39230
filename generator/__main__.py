"""Entry point for `python -m generator`."""

import os
import sys

from .cli import main

code = main()
# Everything is written and reported: the process ends without tearing down every module it
# imported (a twentieth of a second of a half-second generation), as mypy does. The streams are
# flushed first; when they cannot be, the usual exit says why.
try:
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):
    sys.exit(code)
os._exit(code)
