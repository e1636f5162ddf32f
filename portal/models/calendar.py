"""Local exceptions to the official working-day calendar (edited in the admin)."""

from django.db import models


class CalendarDay(models.Model):
    """A local calendar exception: a day off on a working day, or a day worked on a day off.

    China's official holidays and make-up working days come from the ``chinesecalendar`` package
    (:mod:`portal.workdays`); a row here overrides them for one date.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "是否工作日", default=False, help_text="勾选：周末调休上班；不勾选：节假日"
    )
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        db_table = "admission_calendarday"  # the table predates the move into the core
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
