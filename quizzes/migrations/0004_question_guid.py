import uuid

from django.db import migrations, models

import studysite.models


def give_every_question_its_own_guid(apps, schema_editor):
    Question = apps.get_model("quizzes", "Question")
    for question in Question.objects.filter(guid__isnull=True):
        question.guid = uuid.uuid4().hex
        question.save(update_fields=["guid"])


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_choice_plot_question_plot")]

    operations = [
        migrations.AddField(model_name="question", name="guid", field=models.CharField(max_length=64, null=True)),
        migrations.RunPython(give_every_question_its_own_guid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="question",
            name="guid",
            field=models.CharField(
                default=studysite.models.new_guid,
                editable=False,
                help_text="Identity across exports.",
                max_length=64,
                unique=True,
            ),
        ),
    ]
