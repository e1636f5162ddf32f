"""Admin: requests and history are read-only (the working-day calendar is edited in the core admin)."""

from django.contrib import admin

from admission.models import AdmissionCounter, HistoryEntry, TaskRequest


@admin.register(TaskRequest)
class TaskRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "status", "admission_no", "valid_until"]
    list_filter = ["status"]
    search_fields = ["title", "admission_no"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["request", "action", "from_status", "to_status", "actor_name", "at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdmissionCounter)
class AdmissionCounterAdmin(admin.ModelAdmin):
    list_display = ["body", "year", "last"]

    def has_change_permission(self, request, obj=None):
        return False
