"""The office's upload of a register to import: the CSV and its TOML mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cocity.opendata import importer
from cocity.opendata.importer import MappingError, SourceError, mapping_parse, read_source

MAX_MAPPING_BYTES = 100 * 1024


def _read(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is None or upload.size > limit:
        raise forms.ValidationError(
            _("The file is too large: at most %(size)s kB.") % {"size": limit // 1024}
        )
    return upload.read()


class ImportForm(forms.Form):
    register = forms.FileField(
        label=_("Register (CSV)"),
        help_text=_("The register exported by the other system, as a CSV file."),
    )
    mapping = forms.FileField(
        label=_("Mapping (TOML)"),
        help_text=_(
            "Which column is which field, and which value is which status: see the import guide."
        ),
    )

    def clean_register(self) -> bytes:
        return _read(self.cleaned_data["register"], importer.MAX_FILE_BYTES)

    def clean_mapping(self) -> Any:
        raw = _read(self.cleaned_data["mapping"], MAX_MAPPING_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The mapping must be a UTF-8 text file.")) from None
        try:
            return mapping_parse(text)
        except MappingError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "register" in data and "mapping" in data:
            try:
                source = read_source(data["register"], data["mapping"])
            except SourceError as exc:
                self.add_error("register", str(exc))
                return data
            if len(source.rows) > importer.MAX_ROWS:
                self.add_error(
                    "register",
                    _(
                        "The register has %(rows)s rows: at most %(max)s can be imported from "
                        "this page (an administrator can import a larger one with the "
                        "import_pacts command)."
                    )
                    % {
                        "rows": number_format(len(source.rows), force_grouping=True),
                        "max": number_format(importer.MAX_ROWS, force_grouping=True),
                    },
                )
                return data
            data["source"] = source
        return data

    def file_name(self) -> str:
        upload = self.files.get("register")
        return (getattr(upload, "name", "") or "register.csv")[:255]
