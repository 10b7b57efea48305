"""Every read of the reports app: the board report, the named lead's dashboard, training coverage
and the local profile. Split by what they serve."""
