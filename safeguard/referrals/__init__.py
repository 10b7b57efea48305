"""Referrals and their followed-up outcomes, signed decision records and approvals (§9.7, §10.4.4, §17)."""
