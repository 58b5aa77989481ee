"""The extracted body's lines, cut where they are not the article's: promotion lines and the
trailing trim (``lines.py``, which ``clean_text`` runs too), edge lines from outside the block that
holds the article (``blocks.py``), and the tail run the page's own embedded data lacks
(``page_data.py``)."""
