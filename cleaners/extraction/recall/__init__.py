"""What trafilatura's extraction lost, put back: each fill takes the extracted text and the tree it
was read from and returns the text with the lost blocks in their place (:mod:`..extract` calls them).

- :mod:`.spared`: the page extracted again with the blocks of prose it discarded by class name
  spared in the article's region (``_spared``), or only those of a recurring kind (``_recurring_filled``).
- :mod:`.lists`: the list items the recall extraction holds between two lines (``_gaps_filled``).
- :mod:`.headings`: the subheadings between two lines (``_headings_filled``).
- :mod:`.prose`: callouts, pull quotes, notes between two lines (``_prose_filled``).
- :mod:`.toggles`: the panes toggles hide: an accordion's answers, a "Read more" (``_toggled_filled``).
- :mod:`.matching`: lines matched by their words (``_words``), shared by the fills.
"""
