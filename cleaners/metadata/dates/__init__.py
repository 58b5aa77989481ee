"""An article's days: the declared, printed and URL days and :func:`~.days.fill_dates`
(``days``), the months, weekdays and date words of each language as patterns (``calendar_words``),
from the hand-written tables and CLDR's month and weekday names (``month_names``, data)."""
