"""``python -m cxroi``."""

import sys

from cxroi.cli import main

sys.exit(main())
