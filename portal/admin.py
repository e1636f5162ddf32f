"""Admin for the org tree (officials maintain it here) and read-only views of the audit log. Every change made
here leaves history (:mod:`portal.history`); the "历史" button of each page shows it."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from portal.models import (
    ApprovalBody,
    AuditEntry,
    CalendarDay,
    Department,
    Job,
    OrgUnit,
    OutboxMessage,
    RoleAssignment,
    User,
)

admin.site.site_header = "天津市社区减负服务平台 · 管理后台"
admin.site.site_title = "社区减负管理后台"


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["org", "department"]


@admin.register(User)
class JianfuUserAdmin(SimpleHistoryAdmin, UserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "real_name", "mobile", "is_active", "last_login"]
    search_fields = ["username", "real_name", "mobile"]
    fieldsets = UserAdmin.fieldsets + (
        ("社区减负", {"fields": ("real_name", "mobile")}),
        ("变更记录", {"fields": ("role_history",)}),
    )
    readonly_fields = ["role_history"]

    @admin.display(description="角色变更记录")
    def role_history(self, obj):
        """Every change of this user's roles — in the admin too — with who, when, before and after."""
        from portal.history import role_changes

        rows = role_changes(obj) if obj and obj.pk else []
        if not rows:
            return "无"
        return format_html_join(
            "",
            "<div>{} · {} · {}：{} → {}</div>",
            ((r["at"], r["user"], r["type"], r["before"], r["after"]) for r in rows),
        )


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        from portal.audit import audit

        if change and "parent" in form.changed_data and obj.parent_id:
            from portal.services.orgs import org_unit_move

            # A move goes through the service: subtree paths rewritten at once, checked and audited.
            org_unit_move(actor=request.user, unit=obj, new_parent=obj.parent)
        else:
            super().save_model(request, obj, form, change)
        audit(
            "org_change" if change else "org_create",
            obj=obj,
            actor=request.user,
            after={"code": obj.code, "name": obj.name, "level": obj.level},
        )


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "org", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["org"]


@admin.register(ApprovalBody)
class ApprovalBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "org", "kind"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "role", "action", "object_repr", "result", "ip"]
    list_filter = ["result"]
    search_fields = ["action", "actor_name", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "status", "progress"]


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["id", "task_name", "created_at", "sent_at", "attempts", "last_error"]


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Local exceptions to China's official calendar (which the platform already knows)."""

    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
