"""``python -m bench.load``: the scale benchmark (bench/README.md)."""

import sys

from bench.load.cli import main

sys.exit(main())
