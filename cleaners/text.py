"""Text-only cleaning (stub; being written)."""


def clean_text(text: str, site: str | None = None, **kwargs) -> str:
    return text
