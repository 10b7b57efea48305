"""Tasks, in-app notifications and alerts: what a user must do next, and what changed."""
