from django.db import migrations, models
from django.db.models import F


def lease_from_the_claim(apps, schema_editor):
    """Until now heartbeat_at was only ever set by the claim: it is the claim time of jobs already there."""
    apps.get_model("autograding", "GradingJob").objects.update(claimed_at=F("heartbeat_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("autograding", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="gradingjob",
            name="claimed_at",
            field=models.DateTimeField(
                blank=True, help_text="When the current attempt began; the lease runs from it.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="gradingjob",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Renewed every few seconds while a worker grades; a stale one is taken back.",
                null=True,
            ),
        ),
        migrations.RunPython(lease_from_the_claim, migrations.RunPython.noop),
    ]
