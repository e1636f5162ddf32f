from django.contrib import admin

from reports.models import LedgerBaseline


@admin.register(LedgerBaseline)
class LedgerBaselineAdmin(admin.ModelAdmin):
    list_display = ("district", "count", "as_of", "source", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")
