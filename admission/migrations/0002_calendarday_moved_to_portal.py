# The working-day calendar now lives in the core (portal.CalendarDay, same table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('admission', '0001_initial'),
        ('portal', '0003_calendarday'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CalendarDay')],
            database_operations=[],
        ),
    ]
