"""What trafilatura's extraction lost, put back: each fill takes the extracted text and the tree it
was read from and returns the text with the lost blocks in their place (:mod:`..extract` calls them).

- :mod:`.spared`: the page extracted again with the blocks of prose it discarded by class name
  spared in the article's region (``spared_text``), or only those of a recurring kind (``recurring_filled``).
- :mod:`.lists`: the list items the recall extraction holds between two lines (``gaps_filled``).
- :mod:`.headings`: the subheadings between two lines (``headings_filled``).
- :mod:`.prose`: callouts, pull quotes, notes between two lines (``prose_filled``).
- :mod:`.toggles`: the panes toggles hide: an accordion's answers, a "Read more" (``toggled_filled``).
- :mod:`.matching`: lines matched by their words (``words_of``), shared by the fills.

The underscored helpers of :mod:`.matching` the fills import (``_lines_with``, ``_between_filled``,
...) are package-internal: nothing outside ``recall/`` uses them.
"""
