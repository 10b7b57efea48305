from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, Role, RoleGrant, User


def _administrators_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


# The admin site is for administrators only: agencies and users, never child-level data.
admin.site.has_permission = _administrators_only


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency__kind", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Agency", {"fields": ("agency", "job_title", "phone")}),
    )
    inlines = [RoleGrantInline]
