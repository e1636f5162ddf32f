"""Figures for the public home page."""

from django.db.models import Count

from portal.choices import OrgLevel
from portal.models import OrgUnit


def home_figures() -> dict:
    counts = dict(OrgUnit.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    districts = list(OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").values("code", "name"))
    return {
        "districts": districts,
        "n_districts": counts.get(OrgLevel.DISTRICT, 0),
        "n_streets": counts.get(OrgLevel.STREET, 0),
        "n_communities": counts.get(OrgLevel.COMMUNITY, 0),
    }
