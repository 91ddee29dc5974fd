"""cxroi: turn the figures CX leads already have into money and pictures executives act on."""

import logging

__version__ = "0.1.0"

# A library logs; whoever runs it (the app's frame, the CLI's --verbose) decides where to.
logging.getLogger(__name__).addHandler(logging.NullHandler())
