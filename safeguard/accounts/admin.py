from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .models import Agency, Role, RoleGrant, User


def _administrators_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


# The admin site is for administrators only: agencies and users, never child-level data.
admin.site.has_permission = _administrators_only  # type: ignore[method-assign]


class AdministratorsOnly:
    """Administrators manage agencies and users through their role, not per-model permissions."""

    def has_module_permission(self, request):
        return _administrators_only(request)

    def has_view_permission(self, request, obj=None):
        return _administrators_only(request)

    def has_add_permission(self, request, *args):
        return _administrators_only(request)

    def has_change_permission(self, request, obj=None):
        return _administrators_only(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: records keep who wrote them


@admin.register(Agency)
class AgencyAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


class RoleGrantInline(AdministratorsOnly, admin.TabularInline):
    model = RoleGrant
    extra = 1

    def has_delete_permission(self, request, obj=None):
        return _administrators_only(request)  # a role can be taken away


@admin.register(User)
class UserAdmin(AdministratorsOnly, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency__kind", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Agency", {"fields": ("agency", "job_title", "phone")}),
    )
    inlines = [RoleGrantInline]

    def save_model(self, request, obj, form, change):
        """Saves through the admin are audited like the services' own: created, deactivated."""
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(verb=Verb.USER_CREATED, actor=request.user, target=obj, payload={"via": "admin"})
        elif "is_active" in form.changed_data and not obj.is_active:
            audit_record(verb=Verb.USER_DEACTIVATED, actor=request.user, target=obj, payload={"via": "admin"})
