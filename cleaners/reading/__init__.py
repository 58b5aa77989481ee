"""Reading a page: its bytes to text (``encoding.py``), the CMS's mojibake mended before the parse
and repaired after the extraction (``mojibake.py``), the text to a tree within libxml2's bounds
(``parsing.py``), and small reads of lxml trees the cleaner's steps share (``trees.py``)."""
