from __future__ import annotations

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cocity.commons.models import Commons
from cocity.commons.services import commons_create
from cocity.municipalities.models import Municipality

# Points inside Turin (lon, lat).
MOLE = (7.69305, 45.06903)
VALENTINO = (7.68550, 45.05440)


def add_commons(
    municipality: Municipality,
    name: str = "Ex bagni pubblici",
    *,
    point: tuple[float, float] = MOLE,
    **fields,
) -> Commons:
    values = {"kind": Commons.Kind.BUILDING, "address": "via Roma 1"}
    values.update(fields)
    return commons_create(
        actor=None, municipality=municipality, name=name, lon=point[0], lat=point[1], **values
    )


def many_commons(municipality: Municipality, n: int, seed: int = 1) -> None:
    """``n`` commons scattered around central Turin."""
    rng = random.Random(seed)
    kinds = list(Commons.Kind.values)
    kinds.remove(Commons.Kind.IMMATERIAL)
    for i in range(n):
        add_commons(
            municipality,
            f"Bene {i:04d}",
            kind=rng.choice(kinds),
            point=(7.64 + rng.random() * 0.06, 45.04 + rng.random() * 0.05),
        )


def jpeg_with_gps() -> bytes:
    """A small JPEG whose EXIF carries a GPS position and a camera model."""
    image = Image.new("RGB", (64, 48), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "Camera Segreta"  # Model
    exif[0x8825] = {1: "N", 2: (45.0, 4.0, 8.0), 3: "E", 4: (7.0, 41.0, 35.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
