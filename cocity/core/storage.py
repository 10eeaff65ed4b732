"""Where files live.

- ``StaticStorage``: static files for production, hashed, compressed names (WhiteNoise),
  without rewriting source-map comments, since vendored bundles name maps that their packages
  do not ship (leaflet.markercluster.js.map), which would make ``collectstatic`` fail.
- ``PrivateStorage`` (``STORAGES["private"]``): uploads that only some people may see (a
  draft's attachments, signed files, activity photos; docs/decisions/0011). They live outside
  ``MEDIA_ROOT`` under random names and have no URL: a view checks the permission and sends
  them (``cocity.core.downloads``).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.db.models import Model
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Only the CSS references (url(), @import) are rewritten to hashed names.
    patterns = tuple(
        (extension, rules)
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
        if extension == "*.css"
    )


def private_media_root() -> Path:
    """``PRIVATE_MEDIA_ROOT``, by default the folder ``private`` beside ``MEDIA_ROOT``. Never
    inside ``MEDIA_ROOT``: whatever serves ``/media/`` would serve it too."""
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    media = Path(settings.MEDIA_ROOT).resolve()
    root = Path(configured).resolve() if configured else media.parent / "private"
    if root == media or media in root.parents:
        raise ImproperlyConfigured(
            f"PRIVATE_MEDIA_ROOT ({root}) must not be inside MEDIA_ROOT ({media})."
        )
    return root


@deconstructible(path="cocity.core.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A folder of files without URLs (see the module's text)."""

    @cached_property
    def base_location(self) -> str:
        return str(getattr(self, "_location", None) or private_media_root())

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting in {"MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"}:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no URL: link to the view that checks who may see it.")


def private_storage() -> Storage:
    """The storage of the private file fields (a callable, so that settings choose it)."""
    return storages["private"]


@deconstructible(path="cocity.core.storage.RandomName")
class RandomName:
    """``upload_to`` for private files: a random name in ``folder``, with the original's
    extension when it is a plain one. The original name is kept in a field of the model, for
    the download, never on disk: the name alone must not tell what the file is."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: object, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
            suffix = ""
        return f"{self.folder}/{secrets.token_urlsafe(24)}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


# --- Upgrading: files uploaded before the private storage (used by the migrations pacts 0004
# and reports 0002; keep what they do unchanged) ---------------------------------------------


def move_to_private(model: type[Model], *, field: str, folder: str, name_field: str = "") -> None:
    """Move the files of ``model.field`` that are still in MEDIA_ROOT (the default storage) to
    the private storage under random names, keeping the old base name in ``name_field``, then
    move whatever is left in ``MEDIA_ROOT/folder`` (files of deleted rows) to
    ``unreferenced/<folder>/`` in the private storage, for the operator to look at.

    The database rows change in the caller's transaction; the old copies are deleted only
    once it commits, so a failed migration leaves every file where a row can find it. Run
    again, it finds nothing to do."""
    public, private = storages["default"], storages["private"]
    random_name = RandomName(folder)
    moved: list[str] = []
    rows = model._default_manager.exclude(**{field: ""}).values_list("pk", field)
    for pk, name in rows.iterator():
        if private.exists(name) or not public.exists(name):
            continue  # moved already, or lost before the upgrade
        with public.open(name, "rb") as handle:
            new_name = private.save(random_name(None, name), handle)
        changes = {field: new_name}
        if name_field:
            changes[name_field] = PurePath(name).name
        model._default_manager.filter(pk=pk).update(**changes)
        moved.append(name)
    transaction.on_commit(lambda: _sweep(public, private, folder, moved))


def _sweep(public: Storage, private: Storage, folder: str, moved: list[str]) -> None:
    for name in moved:
        public.delete(name)
    root = Path(settings.MEDIA_ROOT) / folder
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(settings.MEDIA_ROOT).as_posix()
            with path.open("rb") as handle:
                private.save(f"unreferenced/{relative}", handle)
            path.unlink()


def move_to_public(model: type[Model], *, field: str, folder: str, name_field: str = "") -> None:
    """The reverse of ``move_to_private``, for rolling the migration back: the files go back
    to MEDIA_ROOT under their original names (and are public again there)."""
    public, private = storages["default"], storages["private"]
    moved: list[str] = []
    values = ("pk", field, name_field) if name_field else ("pk", field)
    for pk, name, *original in model._default_manager.exclude(**{field: ""}).values_list(*values):
        if not private.exists(name):
            continue
        base = (original[0] if original and original[0] else "") or PurePath(name).name
        with private.open(name, "rb") as handle:
            new_name = public.save(f"{folder}/{PurePath(base).name}", handle)
        model._default_manager.filter(pk=pk).update(**{field: new_name})
        moved.append(name)

    def delete_moved() -> None:
        for name in moved:
            private.delete(name)

    transaction.on_commit(delete_moved)
