"""Moved into the core: :mod:`portal.uploads` (this name stays until every caller imports the core)."""

from portal.uploads import (  # noqa: F401
    ALLOWED_HELP,
    CheckedFile,
    check_upload,
    remove,
    safe_display_name,
    storage_root,
    store,
    stored_path,
)
