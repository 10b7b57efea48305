"""Authorization-matrix rows, one module per app (see tests/matrix.py)."""
