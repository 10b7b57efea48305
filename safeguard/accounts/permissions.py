from django.conf import settings
from rest_framework.permissions import BasePermission


def is_verified(user) -> bool:
    """Signed in, active and, where two-factor is required, verified in this session."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_verified() if settings.SAFEGUARD_REQUIRE_2FA else True


class IsVerifiedUser(BasePermission):
    message = "Sign in, with two-factor authentication, to use the API."

    def has_permission(self, request, view) -> bool:
        return is_verified(request.user)
