"""What the cleaners learn from data rather than read from rules.

- :mod:`.templates`: blocks that repeat across many pages of one site, learned per site as a crawl runs.
- :mod:`.linescore`: the learned line scorer (off by default) and its model file ``line_model.json``.
- :mod:`.train`: trains the line scorer and writes that file.
"""
