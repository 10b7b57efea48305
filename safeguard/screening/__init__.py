"""Form A (the CSE Initial Screening Tool, handbook §16) and Form B (the full CSE assessment)."""
