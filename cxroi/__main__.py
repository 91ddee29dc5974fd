"""``python -m cxroi``."""

import sys

from cxroi.cli import main

if __name__ == "__main__":
    sys.exit(main())
