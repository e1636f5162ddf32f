"""Moved into the core: :mod:`portal.workdays` (this name stays until every caller imports the core)."""

from portal.workdays import add_workdays, is_workday, workdays_between

__all__ = ["add_workdays", "is_workday", "workdays_between"]
