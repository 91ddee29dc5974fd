"""The tests of `cxroi.export`, one module per module of the package."""
