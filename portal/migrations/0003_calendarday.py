# The working-day calendar moves from admission into the core; the table keeps its name.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_audit_append_only'),
        ('admission', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='日期')),
                        ('is_workday', models.BooleanField(default=False, help_text='勾选：周末调休上班；不勾选：节假日', verbose_name='是否工作日')),
                        ('name', models.CharField(blank=True, max_length=50, verbose_name='名称')),
                    ],
                    options={
                        'verbose_name': '节假日与调休',
                        'verbose_name_plural': '节假日与调休',
                        'ordering': ['date'],
                        'db_table': 'admission_calendarday',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
