"""Static files storage for production: hashed, compressed names (WhiteNoise), without
rewriting source-map comments, since vendored bundles name maps that their packages do not
ship (leaflet.markercluster.js.map), which would make ``collectstatic`` fail."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Only the CSS references (url(), @import) are rewritten to hashed names.
    patterns = tuple(
        (extension, rules)
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
        if extension == "*.css"
    )
