"""Activity photos become private to the pact's parties and office (docs/decisions/0011):
stored under random names outside MEDIA_ROOT, existing ones moved there."""

import cocity.core.storage
from django.db import migrations, models


def move_to_private(apps, schema_editor):
    cocity.core.storage.move_to_private(
        apps.get_model("reports", "ActivityLog"), field="photo", folder="reports/photos"
    )


def move_to_public(apps, schema_editor):
    cocity.core.storage.move_to_public(
        apps.get_model("reports", "ActivityLog"), field="photo", folder="reports/photos"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activitylog",
            name="photo",
            field=models.ImageField(
                blank=True,
                storage=cocity.core.storage.private_storage,
                upload_to=cocity.core.storage.RandomName("reports/photos"),
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(move_to_private, move_to_public),
    ]
