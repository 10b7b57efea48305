"""The admin site: agencies and users for administrators, never child-level data.

Nobody can grant anything through a plain model form: superuser and staff are not editable here
(superuser only by `safeguard createsuperuser` on the server), and roles change only through the
accounts services (`role_grant`, `role_revoke`, `role_grant_decide`), which refuse a change to
one's own roles, audit who changed what for whom, tell the person and their agency's named lead,
and hold a child-level role for an administrator-only account until a second administrator
approves it (issue 11 item 1).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .models import Agency, Role, RoleGrant, RoleGrantRequest, User
from .services import RoleChangeRefused, enrolment_code_issue, role_grant, role_grant_decide, role_revoke


def _administrators_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


# The admin site is for administrators only: agencies and users, never child-level data.
admin.site.has_permission = _administrators_only  # type: ignore[method-assign]


def _product_sign_in(request, extra_context=None):
    """/admin/login/ is the product's own sign-in (with two-factor and lockout), never a second door."""
    target = request.GET.get("next") or reverse("admin:index")
    if request.method == "POST":
        audit_record(verb=Verb.ADMIN_SIGN_IN_REDIRECTED,
                     payload={"username": str(request.POST.get("username", ""))[:150]})
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


admin.site.login = _product_sign_in  # type: ignore[method-assign]


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
    """Roles are shown here, read-only; "Change roles" on the user's page goes through the services."""

    model = RoleGrant
    extra = 0
    fields = ("role", "granted_at")
    readonly_fields = ("role", "granted_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
    change = forms.ChoiceField(choices=[("grant", "Grant this role"), ("revoke", "Take this role away")],
                               widget=forms.RadioSelect, label="Change")


@admin.register(User)
class UserAdmin(AdministratorsOnly, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency__kind", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Agency", {"fields": ("agency", "job_title", "phone")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    # Privileges are never a form field: staff follows the administrator role, superuser is server-only.
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    inlines = [RoleGrantInline]
    actions = ["issue_enrolment_code"]
    change_form_template = "admin/accounts/user/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields.append("is_active")  # nor can an administrator reactivate or deactivate themselves
        return fields

    def get_urls(self):
        return [
            path("<int:user_id>/roles/", self.admin_site.admin_view(self.roles_view), name="accounts_user_roles"),
            *super().get_urls(),
        ]

    def roles_view(self, request, user_id):
        if not _administrators_only(request):
            return redirect("admin:index")
        person = get_object_or_404(User, pk=user_id)
        form = RoleChangeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            change = role_grant if form.cleaned_data["change"] == "grant" else role_revoke
            try:
                outcome = change(actor=request.user, user=person, role=form.cleaned_data["role"])
            except RoleChangeRefused as refused:
                form.add_error(None, str(refused))
            else:
                if isinstance(outcome, RoleGrantRequest):
                    messages.info(request, "This role is waiting for a second administrator to approve it.")
                else:
                    messages.success(request, "Roles changed.")
                return redirect("admin:accounts_user_change", person.pk)
        context = {
            **self.admin_site.each_context(request), "title": f"Change roles: {person.username}", "form": form,
            "person": person, "opts": self.model._meta, "held": person.role_labels,
        }
        return TemplateResponse(request, "admin/accounts/user/roles.html", context)

    @admin.action(description="Issue a two-factor enrolment code (shown once)")
    def issue_enrolment_code(self, request, queryset):
        for person in queryset[:20]:
            try:
                code = enrolment_code_issue(actor=request.user, user=person)
            except RoleChangeRefused as refused:
                self.message_user(request, f"{person.username}: {refused}", level=messages.ERROR)
            else:
                hours = settings.SAFEGUARD_ENROLMENT_CODE_HOURS
                self.message_user(request, f"{person.username}: enrolment code {code} (give it to them in person or "
                                           f"by phone; it works once, for {hours} hours).")

    def save_model(self, request, obj, form, change):
        """Saves through the admin are audited like the services' own: created, deactivated."""
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(verb=Verb.USER_CREATED, actor=request.user, target=obj, payload={"via": "admin"})
        elif "is_active" in form.changed_data and not obj.is_active:
            audit_record(verb=Verb.USER_DEACTIVATED, actor=request.user, target=obj, payload={"via": "admin"})


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Grants waiting for a second administrator; approve or refuse with the actions."""

    list_display = ["user", "role", "requested_by", "requested_at", "status", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["user", "role", "requested_by", "requested_at", "status", "decided_by", "decided_at"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, approve: bool):
        for pending in queryset:
            try:
                role_grant_decide(actor=request.user, request=pending, approve=approve)
            except RoleChangeRefused as refused:
                self.message_user(request, f"{pending}: {refused}", level=messages.ERROR)
            else:
                self.message_user(request, f"{pending.user}: {'approved' if approve else 'refused'}.")

    @admin.action(description="Approve the selected role grants")
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuse the selected role grants")
    def refuse(self, request, queryset):
        self._decide(request, queryset, approve=False)
