"""Level codes are kept as written; a canonical column carries uniqueness and matching.

Codes stored before this migration were already canonical, so the canonical column starts as a
copy of each normalised code (the written spelling of old rows was not kept and cannot be
recovered).
"""

from django.db import migrations, models

from ladder.engine.normalize import normalize_code


def fill_canonical_codes(apps, schema_editor):
    Level = apps.get_model("ladder", "Level")
    batch = []
    for level in Level.objects.exclude(code__isnull=True).only("pk", "code").iterator():
        level.code_canonical = normalize_code(level.code) or None
        batch.append(level)
        if len(batch) >= 1000:
            Level.objects.bulk_update(batch, ["code_canonical"])
            batch = []
    if batch:
        Level.objects.bulk_update(batch, ["code_canonical"])


class Migration(migrations.Migration):
    dependencies = [
        ("ladder", "0003_framework_operators_company_slug_per_org"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="level",
            name="level_code_unique_per_ladder",
        ),
        migrations.AddField(
            model_name="level",
            name="code_canonical",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The code's canonical form (no spaces, dashes or dots; upper case): what uniqueness and "
                "matching use.",
                max_length=64,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="level",
            name="code",
            field=models.CharField(
                blank=True, help_text="Kept exactly as the company writes it.", max_length=32, null=True
            ),
        ),
        migrations.RunPython(fill_canonical_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="level",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code_canonical__isnull", False)),
                fields=("ladder", "code_canonical"),
                name="level_code_unique_per_ladder",
            ),
        ),
    ]
