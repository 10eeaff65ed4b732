from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from cocity.accounts.models import Invitation, Membership, Organisation, StaffRole, User
from cocity.accounts.services import staff_role_grant


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    fk_name = "user"
    fields = ("municipality", "role", "department", "district")
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "is_superuser", "is_active", "date_joined")
    search_fields = ("email", "display_name")
    list_filter = ("is_superuser", "is_active")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "show_name_publicly")}),
        (_("Identity"), {"fields": ("identity_verified_at", "identity_provider")}),
        (_("Platform"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )
    filter_horizontal = ()
    inlines = [StaffRoleInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "tax_code", "municipality")
    list_filter = ("kind", "informal")
    search_fields = ("name", "tax_code")
    inlines = [MembershipInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "role", "department", "district")
    list_filter = ("municipality", "role")
    raw_id_fields = ("user",)
    search_fields = ("user__email", "user__display_name")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new role goes through the same service (and permission check) as the office area.
        role = staff_role_grant(
            actor=request.user,
            municipality=obj.municipality,
            email=obj.user.email,
            role=obj.role,
            department=obj.department,
            district=obj.district,
        )
        obj.pk = role.pk


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "accepted_at")
    exclude = ("token_hash",)
