"""Attachments and signed files become private (docs/decisions/0011): stored under random
names outside MEDIA_ROOT. The files of an existing deployment move there too, so that an
upgrade stops exposing them at their old /media/ addresses."""

import cocity.core.storage
from django.db import migrations, models

FILES = (
    ("Attachment", "file", "pacts/attachments", "original_name"),
    ("Party", "signature_file", "pacts/signatures", "signature_file_name"),
)


def move_to_private(apps, schema_editor):
    for model, field, folder, name_field in FILES:
        cocity.core.storage.move_to_private(
            apps.get_model("pacts", model), field=field, folder=folder, name_field=name_field
        )


def move_to_public(apps, schema_editor):
    for model, field, folder, name_field in FILES:
        cocity.core.storage.move_to_public(
            apps.get_model("pacts", model), field=field, folder=folder, name_field=name_field
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pacts", "0003_pact_city_sort_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="original_name",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="party",
            name="signature_file_name",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                storage=cocity.core.storage.private_storage,
                upload_to=cocity.core.storage.RandomName("pacts/attachments"),
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="signature_file",
            field=models.FileField(
                blank=True,
                storage=cocity.core.storage.private_storage,
                upload_to=cocity.core.storage.RandomName("pacts/signatures"),
            ),
        ),
        migrations.RunPython(move_to_private, move_to_public),
    ]
