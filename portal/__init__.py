"""Jianfu core: settings, org tree, users and roles, scope, audit log, jobs, PDFs."""

from .celery import app as celery_app

__all__ = ["celery_app"]
