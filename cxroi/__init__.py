"""cxroi: turn the figures CX leads already have into money and pictures executives act on."""

__version__ = "0.1.0"
