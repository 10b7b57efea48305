"""Permission classes shared by every app's API."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from safeguard.access.policy import works_with_children
from safeguard.accounts.permissions import is_verified


class WorksWithChildren(BasePermission):
    """Signed in with two-factor, and in a role that works with children's records."""

    message = "Your role does not work with children's records."

    def has_permission(self, request, view) -> bool:
        return is_verified(request.user) and works_with_children(request.user)
