"""The portal's URLs plus the bare baseline view (``JIANFU_BENCH=1`` only; see ``bench.settings``)."""

import os

from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = list(portal_urlpatterns)
if os.environ.get("JIANFU_BENCH") == "1":
    urlpatterns.insert(0, path("__bench__/bare/<str:name>", views.bare, name="bench_bare"))
