"""Pending uploads: files a user sent with a form that was refused are kept, shown by name, and sent again.

When a form comes back with an error nothing the user entered may be lost. The view calls
:func:`pending_keep` with the files of the refused request; the page lists :func:`pending_files` by name with a
remove button (:func:`pending_remove`); the next submission adds :func:`pending_take` to whatever was chosen
anew, and :func:`pending_clear` forgets them once the form went through. Files wait outside the web root under
``MEDIA_ROOT/pending/`` and belong to the session that sent them; sensitive values typed into a form (an ID
number) are kept with :func:`pending_value_keep` in the session instead of being printed back into the page.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

SESSION_KEY = "jianfu_pending"
MAX_FILES = 20
MAX_BYTES = 20 * 1024 * 1024
MAX_AGE_SECONDS = 24 * 3600


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "pending"


def _store(request) -> dict:
    return request.session.setdefault(SESSION_KEY, {})


def _entry(request, form: str) -> dict:
    store = _store(request)
    entry = store.get(form)
    if entry is None or time.time() - entry.get("at", 0) > MAX_AGE_SECONDS:
        if entry is not None:
            _delete_files(entry)
        entry = store[form] = {"at": time.time(), "files": [], "values": {}}
        request.session.modified = True
    return entry


def _delete_files(entry: dict) -> None:
    for f in entry.get("files", []):
        (_root() / f["token"]).unlink(missing_ok=True)


def pending_keep(request, *, form: str, files: list[tuple[str, object]]) -> None:
    """Keep ``(field, uploaded file)`` pairs of a refused submission (beyond the limits, the rest is dropped)."""
    entry = _entry(request, form)
    root = _root()
    root.mkdir(parents=True, exist_ok=True)
    for field, upload in files:
        if len(entry["files"]) >= MAX_FILES or getattr(upload, "size", 0) > MAX_BYTES:
            continue
        token = secrets.token_urlsafe(12)
        upload.seek(0)
        with open(root / token, "wb") as out:
            shutil.copyfileobj(upload, out)
        upload.seek(0)
        entry["files"].append(
            {
                "token": token,
                "field": field,
                "name": Path(getattr(upload, "name", "file")).name[:200],
                "size": int(getattr(upload, "size", 0) or 0),
                "content_type": getattr(upload, "content_type", "") or "application/octet-stream",
            }
        )
    request.session.modified = True


def pending_files(request, *, form: str) -> list[dict]:
    """What is waiting, for display: token, field, name, size."""
    store = request.session.get(SESSION_KEY, {})
    entry = store.get(form)
    if not entry or time.time() - entry.get("at", 0) > MAX_AGE_SECONDS:
        return []
    return [f for f in entry["files"] if (_root() / f["token"]).exists()]


def pending_remove(request, *, form: str, token: str) -> bool:
    entry = _entry(request, form)
    kept = [f for f in entry["files"] if f["token"] != token]
    if len(kept) == len(entry["files"]):
        return False
    (_root() / token).unlink(missing_ok=True)
    entry["files"] = kept
    request.session.modified = True
    return True


def pending_take(request, *, form: str) -> list[tuple[str, SimpleUploadedFile]]:
    """The waiting files as uploads again (they stay kept until :func:`pending_clear`)."""
    out = []
    for f in pending_files(request, form=form):
        data = (_root() / f["token"]).read_bytes()
        out.append((f["field"], SimpleUploadedFile(f["name"], data, content_type=f["content_type"])))
    return out


def pending_value_keep(request, *, form: str, name: str, value: str) -> None:
    entry = _entry(request, form)
    if value:
        entry["values"][name] = value
        request.session.modified = True


def pending_value(request, *, form: str, name: str) -> str:
    entry = request.session.get(SESSION_KEY, {}).get(form) or {}
    return (entry.get("values") or {}).get(name, "")


def pending_clear(request, *, form: str) -> None:
    store = request.session.get(SESSION_KEY, {})
    entry = store.pop(form, None)
    if entry is not None:
        _delete_files(entry)
        request.session.modified = True
