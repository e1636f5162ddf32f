"""Admin: the working-day calendar is edited here; requests and history are read-only."""

from django.contrib import admin

from admission.models import AdmissionCounter, CalendarDay, HistoryEntry, TaskRequest


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


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
