# Question types: a question's kind and type settings, a choice's weight, answers with picks and credit.

import django.core.validators
from django.db import migrations, models

import quizzes.qtypes


def carry_answers_over(apps, schema_editor):
    """Each answer's one choice becomes its one pick; its verdict becomes its credit; scores follow."""
    Answer = apps.get_model("quizzes", "Answer")
    Attempt = apps.get_model("quizzes", "Attempt")
    Picks = Answer.picks.through
    Picks.objects.bulk_create(
        [
            Picks(answer_id=answer_id, choice_id=choice_id)
            for answer_id, choice_id in Answer.objects.exclude(choice=None).values_list("pk", "choice_id")
        ],
        batch_size=1000,
    )
    Answer.objects.filter(is_correct=True).update(credit=1.0)
    Attempt.objects.update(score=models.F("correct_count"))


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0010_rendered_html'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='kind',
            field=models.CharField(default='single', help_text='How it is answered and graded.', max_length=20, validators=[quizzes.qtypes.validate_kind], verbose_name='type'),
        ),
        migrations.AddField(
            model_name='question',
            name='options',
            field=models.JSONField(blank=True, default=dict, help_text='Settings of its type, such as all-or-nothing grading.'),
        ),
        migrations.AddField(
            model_name='choice',
            name='weight',
            field=models.FloatField(blank=True, help_text='Multiple response only: the credit, in %, that ticking it earns (negative: costs).', null=True, validators=[django.core.validators.MinValueValidator(-100), django.core.validators.MaxValueValidator(100)]),
        ),
        migrations.AddField(
            model_name='answer',
            name='credit',
            field=models.FloatField(default=0, help_text='From 0 to 1, graded when answered, so later edits do not rewrite history.'),
        ),
        migrations.AddField(
            model_name='answer',
            name='picks',
            field=models.ManyToManyField(blank=True, help_text='The choices the learner picked or ticked.', related_name='picked_by', to='quizzes.choice'),
        ),
        migrations.AddField(
            model_name='attempt',
            name='score',
            field=models.FloatField(default=0, help_text="The sum of its answers' credits: 1 per fully right answer."),
        ),
        migrations.RunPython(carry_answers_over, migrations.RunPython.noop),
        migrations.RemoveField(model_name='answer', name='choice'),
        migrations.RemoveField(model_name='attempt', name='correct_count'),
        migrations.AlterField(
            model_name='answer',
            name='picks',
            field=models.ManyToManyField(blank=True, help_text='The choices the learner picked or ticked.', related_name='answers', to='quizzes.choice'),
        ),
        migrations.AlterField(
            model_name='answer',
            name='is_correct',
            field=models.BooleanField(help_text='Full credit.'),
        ),
    ]
